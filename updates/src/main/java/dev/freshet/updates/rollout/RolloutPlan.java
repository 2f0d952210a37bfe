package dev.freshet.updates.rollout;

import java.time.Duration;
import java.util.List;

/**
 * How a release is rolled out ({@code [rollout]} in the policy file, overridable per update):
 *
 * <pre>
 * [rollout]
 * steps = ["shadow", "5", "25", "50", "100"]  # reaching 100 makes the release live for everyone
 * interval_seconds = 600                       # analysis interval of each step
 * failure_limit = 2                            # failed analyses before the candidate is dropped
 * min_scans = 5                                # fewer scans per side: inconclusive
 * inconclusive = "pause"                       # pause (for a person) | wait (another interval)
 * max_error_rate = 0.02                        # candidate's scan error rate
 * max_p95_ratio = 1.5                          # candidate's p95 scan time over stable's
 * max_findings_ratio = 2.0                     # candidate's findings per kLOC over stable's
 * dry_run = false                              # analyse and record, never act
 * </pre>
 */
public record RolloutPlan(List<String> steps, long intervalSeconds, int failureLimit, int minScans, Inconclusive inconclusive,
                          double maxErrorRate, double maxP95Ratio, double maxFindingsRatio, boolean dryRun) {

    public static final RolloutPlan DEFAULT = new RolloutPlan(List.of("shadow", "5", "25", "50", "100"), 600, 2, 5,
            Inconclusive.PAUSE, 0.02, 1.5, 2.0, false);

    public enum Inconclusive { PAUSE, WAIT }

    public RolloutPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.getLast().equals("100")) {
            throw new IllegalArgumentException("rollout steps must end at 100, not " + steps);
        }
        int last = -1;
        for (int i = 0; i < steps.size(); i++) {
            int weight = weightOf(steps.get(i));
            if (steps.get(i).equals("shadow") && i != 0) {
                throw new IllegalArgumentException("rollout step 'shadow' can only come first, in " + steps);
            }
            if (weight <= last && !(i == 0 && weight == 0)) {
                throw new IllegalArgumentException("rollout steps must grow, in " + steps);
            }
            last = weight;
        }
        if (intervalSeconds < 1 || failureLimit < 1 || minScans < 1) {
            throw new IllegalArgumentException("rollout interval_seconds, failure_limit and min_scans must be at least 1");
        }
        if (inconclusive == null) {
            throw new IllegalArgumentException("rollout inconclusive must be pause or wait");
        }
    }

    /** The percentage of cohorts a step serves the candidate to: 0 for shadow. */
    public int weight(int step) {
        return weightOf(steps.get(step));
    }

    public boolean shadow(int step) {
        return steps.get(step).equals("shadow");
    }

    public Duration interval() {
        return Duration.ofSeconds(intervalSeconds);
    }

    private static int weightOf(String step) {
        if (step.equals("shadow")) {
            return 0;
        }
        try {
            int weight = Integer.parseInt(step);
            if (weight >= 1 && weight <= 100) {
                return weight;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("rollout step '" + step + "' is neither shadow nor a percentage 1-100");
    }
}

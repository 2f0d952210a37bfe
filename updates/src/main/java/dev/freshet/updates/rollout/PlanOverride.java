package dev.freshet.updates.rollout;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one update departs from the policy's {@code [rollout]} plan: not at all, live at once, or other
 * steps and interval (the policy's thresholds, or {@link RolloutPlan#DEFAULT}'s, stay).
 */
public sealed interface PlanOverride {
    /** The policy's plan, if it has one. */
    PlanOverride POLICY = new Policy();

    /** The plan this update follows, given the policy's; empty: live at once. */
    Optional<RolloutPlan> apply(Optional<RolloutPlan> policy);

    record Policy() implements PlanOverride {
        @Override
        public Optional<RolloutPlan> apply(Optional<RolloutPlan> policy) {
            return policy;
        }
    }

    record Immediate() implements PlanOverride {
        @Override
        public Optional<RolloutPlan> apply(Optional<RolloutPlan> policy) {
            return Optional.empty();
        }
    }

    /** @param intervalSeconds the analysis interval of each step, or null for the policy's */
    record Steps(List<String> steps, Long intervalSeconds) implements PlanOverride {
        @Override
        public Optional<RolloutPlan> apply(Optional<RolloutPlan> policy) {
            RolloutPlan p = policy.orElse(RolloutPlan.DEFAULT);
            return Optional.of(new RolloutPlan(steps, intervalSeconds == null ? p.intervalSeconds() : intervalSeconds, p.failureLimit(),
                    p.minScans(), p.inconclusive(), p.maxErrorRate(), p.maxP95Ratio(), p.maxFindingsRatio(), p.dryRun()));
        }
    }

    /**
     * The override a person asked for: {@code immediate}, or {@code steps} ("shadow,5,25,50,100") with an
     * optional {@code interval} ("90s", "10m", "1h", or seconds), or neither for the policy's plan.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what it takes
     */
    static PlanOverride of(boolean immediate, String steps, String interval) {
        if (immediate && (steps != null || interval != null)) {
            throw new IllegalArgumentException("immediate skips the rollout; it cannot go with rollout steps or an interval");
        }
        if (immediate) {
            return new Immediate();
        }
        if (steps == null) {
            if (interval != null) {
                throw new IllegalArgumentException("an interval needs rollout steps, e.g. \"shadow,5,25,50,100\"");
            }
            return POLICY;
        }
        Steps override = new Steps(Arrays.stream(steps.split(",")).map(String::strip).toList(),
                interval == null ? null : seconds(interval));
        override.apply(Optional.empty()); // refuses steps that cannot work now, naming them
        return override;
    }

    private static long seconds(String interval) {
        Matcher m = Pattern.compile("(\\d{1,7})([smh]?)").matcher(interval.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
            throw new IllegalArgumentException("interval '" + interval + "' must be a positive number of seconds, or end in s, m or h (10m)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
    }
}

package dev.freshet.updates.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * One rollout's recorded state: the release moving through its plan on a track, against the
 * stable release it would replace.
 *
 * @param step     index of the current step in the plan
 * @param failures failed analyses so far
 * @param analysis the newest analysis, or null before the first
 */
public record Rollout(long id, String track, String releaseId, String stableReleaseId, RolloutPlan plan, int step,
                      State state, int failures, Instant stepStartedAt, Instant createdAt, Instant updatedAt, String reason,
                      Analysis analysis) {

    public enum State {
        RUNNING, PAUSED, PROMOTED, ROLLED_BACK, ABORTED;

        public boolean finished() {
            return this == PROMOTED || this == ROLLED_BACK || this == ABORTED;
        }
    }

    public String stepName() {
        return plan.steps().get(step);
    }

    /** Whether the current step serves the candidate to callers at all: not in shadow, never in a dry run. */
    public boolean servesCandidate() {
        return !plan.dryRun() && !plan.shadow(step);
    }

    /** The percentage of cohorts served the candidate now: 0 in shadow and in a dry run, which only run it beside stable. */
    public int servedWeight() {
        return servesCandidate() ? plan.weight(step) : 0;
    }

    /** Time until promotion if every remaining analysis passes: the rest of this step and the whole of those before 100. */
    public Duration timeToPromotion(Instant now) {
        if (state.finished()) {
            return Duration.ZERO;
        }
        Duration rest = plan.interval().minus(Duration.between(stepStartedAt, now));
        int fullSteps = plan.steps().size() - 2 - step; // the last step (100) is the promotion itself
        return (rest.isNegative() ? Duration.ZERO : rest).plus(plan.interval().multipliedBy(Math.max(fullSteps, 0)));
    }
}

package dev.freshet.updates.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A rollout as an operator reads it: its recorded state, the time to promotion if every analysis
 * passes (interval × remaining steps), and, for its diff, the findings the shadow scans changed per rule.
 */
public record RolloutStatus(Rollout rollout, long secondsToPromotion, List<RuleChange> findingChanges) {

    /** Findings a rule of the candidate added and removed against stable on the same scans, and its time and errors on each side. */
    public record RuleChange(String ruleId, int added, int removed, long stableMicros, long candidateMicros, int stableErrors,
                             int candidateErrors) {
    }

    public static RolloutStatus of(RolloutEngine engine, Rollout rollout, Instant now) {
        List<RuleChange> changes = engine.ruleChanges(rollout.id()).entrySet().stream()
                .map(e -> new RuleChange(e.getKey(), e.getValue().added(), e.getValue().removed(), e.getValue().stableMicros(),
                        e.getValue().candidateMicros(), e.getValue().stableErrors(), e.getValue().candidateErrors())).toList();
        return new RolloutStatus(rollout, rollout.timeToPromotion(now).toSeconds(), changes);
    }
}

package dev.freshet.updates.community;

import java.time.Instant;
import java.util.Map;

/**
 * A rule on probation, or a probation that ended: the generated override that demoted the rule and
 * the evidence (the rule's health) when it began and ended.
 *
 * @param overrideId the override made for it; removed when the probation ends
 */
public record Probation(long id, String ruleId, Long overrideId, Instant startedAt, Map<String, Object> evidence, Instant endedAt,
                        String endReason, Map<String, Object> endEvidence) {
    public boolean active() {
        return endedAt == null;
    }
}

package dev.freshet.updates.community;

import java.time.Instant;
import java.util.Map;

/**
 * A rule on probation, or a probation that is over: the release that demoted the rule and the
 * evidence (the rule's health) when it began and, if a batch lifted it, when and by which release.
 *
 * @param releaseId     the release whose generated override demoted the rule (null for one from before releases carried them)
 * @param liftReleaseId the release a batch lifted it with; null while on probation or when undone through the history
 * @param active        whether the live release carries its override: rolling its release back ends it, rolling forward again revives it
 */
public record Probation(long id, String ruleId, String releaseId, Instant startedAt, Map<String, Object> evidence, Instant endedAt,
                        String endReason, Map<String, Object> endEvidence, String liftReleaseId, boolean active) {
}

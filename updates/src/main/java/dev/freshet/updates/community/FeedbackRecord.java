package dev.freshet.updates.community;

import java.time.Instant;

/** A stored verdict with who gave it, when, and on which release. */
public record FeedbackRecord(long id, Instant receivedAt, String tenant, String contributor, String ruleId, String releaseId,
                             FeedbackVerdict verdict, String fingerprint, String path, String language, String code,
                             Integer accuracy, Integer usefulness, String comment) {
}

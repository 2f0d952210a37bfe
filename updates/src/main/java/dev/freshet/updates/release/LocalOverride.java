package dev.freshet.updates.release;

import java.time.Instant;

/**
 * A stored local override of one rule.
 *
 * @param baseSha256 the upstream rule's sha256 when the override was made (null if no release held
 *                   the rule then); a different upstream hash later means the rule changed underneath it
 */
public record LocalOverride(long id, String ruleId, OverrideChange change, String baseSha256, Instant createdAt) {
}

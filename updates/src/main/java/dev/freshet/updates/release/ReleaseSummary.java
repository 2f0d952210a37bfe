package dev.freshet.updates.release;

import java.time.Instant;

/** One line of the release list: counts only, no rule content. */
public record ReleaseSummary(String id, Instant createdAt, String parentId, int rules, int accepted, int rejected,
                             int skipped, int added, int removed, int changed, boolean active) {
}

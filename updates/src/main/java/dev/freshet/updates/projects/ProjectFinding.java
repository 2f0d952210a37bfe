package dev.freshet.updates.projects;

import java.time.Instant;

/**
 * A vulnerable dependency found in a watched project, with its history.
 *
 * @param resolvedAt when a later scan no longer found it (upgraded, or the advisory withdrawn), else null
 */
public record ProjectFinding(String project, String advisoryId, String packageName, String version, String lockfile,
                             String ecosystem, String reachability, String releaseId, Instant firstSeen,
                             Instant lastSeen, Instant resolvedAt) {
}

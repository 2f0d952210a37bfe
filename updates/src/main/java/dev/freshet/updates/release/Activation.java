package dev.freshet.updates.release;

import java.time.Instant;

/**
 * One row of the activation history: from then on {@code releaseId} was live.
 *
 * @param seq               position in the history, 1 for the first activation
 * @param previousReleaseId the release of the same track live just before, or null for the first activation
 * @param track             the track the release belongs to
 */
public record Activation(long seq, String releaseId, String previousReleaseId, Instant at, Kind kind,
                         Trigger trigger, String reason, String track) {
    public enum Kind { ACTIVATE, ROLLBACK }
}

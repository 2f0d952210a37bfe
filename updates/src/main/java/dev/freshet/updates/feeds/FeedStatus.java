package dev.freshet.updates.feeds;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How current one feed's stored data is.
 *
 * @param lastSuccess when a sync last completed, null if never
 * @param age         time since then, null if never
 * @param stale       never synced, or older than the feed's freshness target
 * @param lastError   why the last sync failed, null when it succeeded
 */
public record FeedStatus(String feed, long records, Instant lastSuccess, Duration age, Duration freshnessTarget,
                         boolean stale, Instant lastAttempt, String lastError) {

    /** Where a feed stands, for people: never tried, failing with nothing stored, stale, or fresh. */
    public enum State {
        NEVER_SYNCED, FAILING, STALE, FRESH;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public State state() {
        if (lastAttempt == null && lastSuccess == null) {
            return State.NEVER_SYNCED;
        }
        if (lastError != null && lastSuccess == null) {
            return State.FAILING;
        }
        return stale ? State.STALE : State.FRESH;
    }
}

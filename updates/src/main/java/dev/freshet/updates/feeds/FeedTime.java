package dev.freshet.updates.feeds;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and the waiting the feed machinery uses, behind one interface so tests can run hours
 * of backoff, rate limiting and staleness in no time.
 */
public interface FeedTime {
    Instant now();

    /** A monotonic reading in nanoseconds, for intervals (rate limiter periods). */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    FeedTime SYSTEM = new FeedTime() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (duration.isPositive()) {
                Thread.sleep(duration);
            }
        }
    };
}

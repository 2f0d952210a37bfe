package dev.freshet.updates.feeds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock and the waiting the feed machinery uses, behind one interface so tests can run hours
 * of backoff, rate limiting and staleness in no time.
 */
public interface FeedTime {
    Instant now();

    /** A monotonic reading in nanoseconds, for intervals (rate limiter periods). */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /** This time as a {@link Clock} in UTC, for the parts (resilience4j, stores) that take one. */
    default Clock asClock() {
        FeedTime time = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return time.now();
            }
        };
    }

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

package dev.freshet.engine.pattern;

import java.time.Duration;

/** A point in time after which matching stops, so one pathological file cannot hold up a scan. */
public record Deadline(long nanoTime) {
    public static final Deadline NONE = new Deadline(Long.MAX_VALUE);

    public static Deadline in(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public void check() {
        if (nanoTime != Long.MAX_VALUE && System.nanoTime() - nanoTime > 0) {
            throw new Exceeded();
        }
    }

    /** Thrown when matching runs past its deadline. */
    public static final class Exceeded extends RuntimeException {
        Exceeded() {
            super("time limit exceeded", null, false, false);
        }
    }
}

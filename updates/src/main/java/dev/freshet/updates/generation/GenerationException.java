package dev.freshet.updates.generation;

import java.time.Duration;
import java.util.Optional;

/**
 * A generator could not propose a draft this time (a timeout, a refusal, output that is not a draft).
 * The message is fed back on the next attempt; {@code retryAfter} is how long the service asked to wait.
 */
public final class GenerationException extends Exception {
    private final Duration retryAfter;

    public GenerationException(String message) {
        this(message, null);
    }

    public GenerationException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

package dev.freshet.app.server;

import java.util.OptionalLong;

/**
 * A request the service refuses, with the HTTP status and the one-line reason sent as
 * {@code {"error": ...}}; refusals that pass (429, 503) tell when to try again ({@code Retry-After}).
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final OptionalLong retryAfterSeconds;

    public ApiError(int status, String message) {
        this(status, message, OptionalLong.empty());
    }

    private ApiError(int status, String message, OptionalLong retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds the caller should wait before trying again, sent as {@code Retry-After}. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError conflict(String message) {
        return new ApiError(409, message);
    }

    /** 429: too many requests; at least one second to wait. */
    static ApiError tooMany(String message, long retryAfterSeconds) {
        long seconds = Math.max(1, retryAfterSeconds);
        return new ApiError(429, message + "; retry after " + seconds + " s", OptionalLong.of(seconds));
    }
}

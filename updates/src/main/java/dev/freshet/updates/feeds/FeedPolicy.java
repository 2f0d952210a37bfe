package dev.freshet.updates.feeds;

import java.time.Duration;

/**
 * How patiently and how fast Freshet talks to one feed.
 *
 * @param maxAttempts       tries per request, the first included
 * @param firstBackoff      wait before the second try; it doubles per try, randomized by half
 * @param maxWait           longest single wait: a backoff is cut to it, a longer {@code Retry-After} gives up
 * @param timeout           longest time for one request, from sending to the last body byte
 * @param maxBytes          largest response body accepted, after gzip decompression too
 * @param requestsPerPeriod with {@code period}: the feed's published rate limit
 * @param breakerWindow     the circuit breaker opens when half of this many recent calls failed
 * @param breakerOpenFor    how long an open breaker refuses calls before letting one try
 */
public record FeedPolicy(int maxAttempts, Duration firstBackoff, Duration maxWait, Duration timeout, long maxBytes,
                         int requestsPerPeriod, Duration period, int breakerWindow, Duration breakerOpenFor) {

    public static final FeedPolicy DEFAULT = new FeedPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(2),
            Duration.ofMinutes(2), 64L * 1024 * 1024, 10, Duration.ofSeconds(1), 10, Duration.ofMinutes(1));

    public FeedPolicy {
        if (maxAttempts < 1 || requestsPerPeriod < 1 || breakerWindow < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("feed policy limits must be positive");
        }
    }

    public FeedPolicy withRateLimit(int requests, Duration per) {
        return new FeedPolicy(maxAttempts, firstBackoff, maxWait, timeout, maxBytes, requests, per, breakerWindow, breakerOpenFor);
    }

    public FeedPolicy withTimeout(Duration limit) {
        return new FeedPolicy(maxAttempts, firstBackoff, maxWait, limit, maxBytes, requestsPerPeriod, period, breakerWindow, breakerOpenFor);
    }

    public FeedPolicy withMaxBytes(long limit) {
        return new FeedPolicy(maxAttempts, firstBackoff, maxWait, timeout, limit, requestsPerPeriod, period, breakerWindow, breakerOpenFor);
    }

    public FeedPolicy withAttempts(int attempts, Duration firstWait, Duration longestWait) {
        return new FeedPolicy(attempts, firstWait, longestWait, timeout, maxBytes, requestsPerPeriod, period, breakerWindow, breakerOpenFor);
    }

    public FeedPolicy withBreaker(int window, Duration openFor) {
        return new FeedPolicy(maxAttempts, firstBackoff, maxWait, timeout, maxBytes, requestsPerPeriod, period, window, openFor);
    }
}

package dev.freshet.app.server;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;

/** Each API key may make {@code perSecond} requests a second; more get 429 with Retry-After. */
final class RateLimits {
    private final RateLimiterRegistry registry;

    RateLimits(int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("the rate limit must be at least 1 request per second, not " + perSecond);
        }
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** Takes one permit for the key, or fails with 429 and how many seconds to wait. */
    void acquire(String keyId) {
        RateLimiter limiter = registry.rateLimiter(keyId);
        if (!limiter.acquirePermission()) {
            // The default limiter tells how long until the next permit; otherwise one refresh period.
            long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 1_000_000_000L;
            long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
            throw new RateLimited(seconds);
        }
    }

    /** Too many requests from one key; try again after {@code retryAfterSeconds}. */
    static final class RateLimited extends RuntimeException {
        final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds) {
            super("rate limit of this API key exceeded; retry after " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}

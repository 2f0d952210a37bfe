package dev.freshet.app.server;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one API key may take of the server: {@code perSecond} requests a second, and at most
 * {@code maxInFlight} requests at once (each holds a server thread until answered, so slow
 * clients of one key cannot take every thread). Beyond either: 429 with Retry-After.
 */
final class RateLimits {
    private final RateLimiterRegistry registry;
    private final int maxInFlight;
    private final ConcurrentMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    RateLimits(int perSecond, int maxInFlight) {
        if (perSecond < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("the rate limit and the requests in flight per key must be at least 1, not "
                    + perSecond + " and " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    /** A request of one key being served; closing it ends the request. */
    interface Admission extends AutoCloseable {
        @Override
        void close();
    }

    /** Admits one request of the key, or fails with 429 and how many seconds to wait. */
    Admission admit(String keyId) {
        RateLimiter limiter = registry.rateLimiter(keyId);
        if (!limiter.acquirePermission()) {
            // The default limiter tells how long until the next permit; otherwise one refresh period.
            long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 1_000_000_000L;
            throw ApiError.tooMany("rate limit of this API key exceeded", (nanos + 999_999_999L) / 1_000_000_000L);
        }
        AtomicInteger count = inFlight.computeIfAbsent(keyId, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxInFlight) {
            count.decrementAndGet();
            throw ApiError.tooMany("this API key already has " + maxInFlight + " requests in flight", 1);
        }
        return count::decrementAndGet;
    }
}

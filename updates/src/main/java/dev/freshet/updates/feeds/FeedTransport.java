package dev.freshet.updates.feeds;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * How feeds talk HTTP. The implementation carries the resilience every feed needs (retries with
 * backoff and jitter, {@code Retry-After}, a circuit breaker and a rate limiter per feed, size and
 * time limits), so a feed client only speaks its protocol.
 */
public interface FeedTransport {
    /**
     * Sends {@code request} for {@code feed}; returns the response once it is a 2xx or a 304.
     * Anything else, after the retries the policy allows, is a {@link FeedException}.
     */
    HttpResponse<byte[]> send(String feed, HttpRequest request) throws FeedException, InterruptedException;
}

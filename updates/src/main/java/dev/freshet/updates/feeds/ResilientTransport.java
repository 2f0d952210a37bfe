package dev.freshet.updates.feeds;

import dev.freshet.updates.http.BoundedFetch;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FeedTransport} on the JDK HTTP client, with per feed a resilience4j rate limiter (the
 * feed's published limit), circuit breaker (stop hammering a feed that keeps failing) and retry
 * (exponential backoff with jitter, or the server's {@code Retry-After} on 429 and 503). Every
 * request has a time limit covering the whole body and a size limit that also bounds gzip
 * decompression.
 */
public final class ResilientTransport implements FeedTransport {
    private static final Logger LOG = LoggerFactory.getLogger(ResilientTransport.class);
    private static final double BACKOFF_MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final HttpClient client;
    private final FeedTime time;
    private final Map<String, FeedPolicy> policies;
    private final Map<String, Guards> guards = new ConcurrentHashMap<>();

    /** The resilience4j parts of one feed. */
    private record Guards(FeedPolicy policy, Retry retry, CircuitBreaker breaker, RateLimiter limiter) {
    }

    /** @param policies per feed name; feeds not listed get {@link FeedPolicy#DEFAULT} */
    public ResilientTransport(HttpClient client, FeedTime time, Map<String, FeedPolicy> policies) {
        this.client = client;
        this.time = time;
        this.policies = Map.copyOf(policies);
    }

    public static ResilientTransport create(Map<String, FeedPolicy> policies) {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return new ResilientTransport(client, FeedTime.SYSTEM, policies);
    }

    /** The feed's circuit breaker state (CLOSED until it has failed repeatedly). */
    public CircuitBreaker.State breakerState(String feed) {
        return guards(feed).breaker().getState();
    }

    @Override
    public HttpResponse<byte[]> send(String feed, HttpRequest request) throws FeedException, InterruptedException {
        Guards guard = guards(feed);
        Retry.Context<Object> context = guard.retry().context();
        while (true) {
            try {
                HttpResponse<byte[]> response = attempt(feed, guard, request);
                context.onComplete();
                return response;
            } catch (RetryableFailure failure) {
                LOG.info("feed {}: {}", feed, failure.getMessage());
                try {
                    context.onError(failure); // waits before the next try, or throws when tries are spent
                } catch (RetryableFailure last) {
                    throw new FeedException(feed, last.getMessage() + " (gave up after " + guard.policy().maxAttempts() + " tries)");
                } catch (Exception unexpected) {
                    throw new FeedException(feed, "retry failed: " + unexpected, unexpected);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("feed " + feed + " interrupted while waiting to retry");
                }
            }
        }
    }

    private HttpResponse<byte[]> attempt(String feed, Guards guard, HttpRequest request)
            throws FeedException, RetryableFailure, InterruptedException {
        FeedPolicy policy = guard.policy();
        long waitNanos = guard.limiter().reservePermission();
        if (waitNanos < 0) {
            throw new FeedException(feed, "rate limit of " + policy.requestsPerPeriod() + " requests per "
                    + policy.period().toSeconds() + " s leaves no room for this request in time");
        }
        time.sleep(Duration.ofNanos(waitNanos));
        if (!guard.breaker().tryAcquirePermission()) {
            throw new FeedException(feed, "too many recent failures at " + request.uri().getHost()
                    + "; not asking again for up to " + policy.breakerOpenFor().toSeconds() + " s");
        }
        long started = time.nanoTime();
        HttpResponse<byte[]> raw;
        try {
            raw = exchange(request, policy);
        } catch (BoundedFetch.BodyTooLarge e) {
            guard.breaker().releasePermission();
            throw new FeedException(feed, "answer from " + request.uri() + " is larger than " + megabytes(policy.maxBytes()));
        } catch (ConnectException e) {
            // Refused, unknown host, no route: the network or the address is wrong, and asking again soon changes nothing.
            guard.breaker().onError(time.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw new FeedException(feed, describe(e, request.uri(), policy) + unreachableReason(e));
        } catch (IOException | TimeoutException e) {
            guard.breaker().onError(time.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw new RetryableFailure(describe(e, request.uri(), policy), null);
        } catch (InterruptedException e) {
            guard.breaker().releasePermission();
            throw e;
        } catch (IllegalArgumentException e) {
            guard.breaker().releasePermission();
            throw new FeedException(feed, "cannot request " + request.uri() + ": " + e.getMessage());
        }
        long took = time.nanoTime() - started;
        int status = raw.statusCode();
        if (status / 100 == 2 || status == 304) {
            guard.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
            return decoded(feed, raw, policy);
        }
        if (status == 429 || status / 100 == 5) {
            if (status == 429) {
                guard.breaker().onSuccess(took, TimeUnit.NANOSECONDS); // the server is well, we are too fast
            } else {
                guard.breaker().onError(took, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
            }
            Duration retryAfter = status == 429 || status == 503
                    ? retryAfter(raw.headers().firstValue("Retry-After").orElse(null), time.now()) : null;
            if (retryAfter != null && retryAfter.compareTo(policy.maxWait()) > 0) {
                throw new FeedException(feed, "HTTP " + status + " from " + request.uri() + " asks to retry after "
                        + retryAfter.toSeconds() + " s, longer than the " + policy.maxWait().toSeconds() + " s Freshet waits; try again later");
            }
            throw new RetryableFailure("HTTP " + status + " from " + request.uri()
                    + (retryAfter != null ? " (Retry-After " + retryAfter.toSeconds() + " s)" : ""), retryAfter);
        }
        guard.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        throw new FeedException(feed, "HTTP " + status + " from " + request.uri() + snippet(raw.body()));
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, FeedPolicy policy)
            throws IOException, TimeoutException, InterruptedException {
        Duration timeout = request.timeout().orElse(policy.timeout());
        HttpRequest.Builder prepared = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout);
        if (request.headers().firstValue("Accept-Encoding").isEmpty()) {
            prepared.header("Accept-Encoding", "gzip");
        }
        return BoundedFetch.send(client, prepared.build(), policy.maxBytes(), timeout);
    }

    /** The response with a gzip body inflated, within the size limit (a small bomb must not fill memory). */
    private static HttpResponse<byte[]> decoded(String feed, HttpResponse<byte[]> raw, FeedPolicy policy) throws FeedException {
        boolean gzip = raw.headers().firstValue("Content-Encoding").map(v -> v.trim().equalsIgnoreCase("gzip")).orElse(false);
        if (!gzip || raw.body().length == 0) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.body()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (out.size() + n > policy.maxBytes()) {
                    throw new FeedException(feed, "answer from " + raw.uri() + " inflates to more than " + megabytes(policy.maxBytes()));
                }
                out.write(buffer, 0, n);
            }
            return new Decoded(raw, out.toByteArray());
        } catch (IOException e) {
            throw new FeedException(feed, "answer from " + raw.uri() + " is not valid gzip: " + e.getMessage(), e);
        }
    }

    private Guards guards(String feed) {
        return guards.computeIfAbsent(feed, name -> {
            FeedPolicy policy = policies.getOrDefault(name, FeedPolicy.DEFAULT);
            IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(policy.firstBackoff(), BACKOFF_MULTIPLIER,
                    JITTER, policy.maxWait());
            Retry retry = Retry.of(name, RetryConfig.custom()
                    .maxAttempts(policy.maxAttempts())
                    .retryOnException(e -> e instanceof RetryableFailure)
                    .intervalBiFunction((attempt, outcome) -> {
                        Duration wait = outcome.isLeft() && outcome.getLeft() instanceof RetryableFailure f && f.retryAfter != null
                                ? f.retryAfter : Duration.ofMillis(backoff.apply(attempt));
                        waitUninterrupted(wait);
                        // resilience4j would sleep through a process-wide function; we waited on our own clock.
                        return 0L;
                    })
                    .build());
            CircuitBreaker breaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(policy.breakerWindow())
                    .minimumNumberOfCalls(Math.max(1, policy.breakerWindow() / 2))
                    .failureRateThreshold(50)
                    .waitDurationInOpenState(policy.breakerOpenFor())
                    .clock(time.asClock())
                    .build());
            RateLimiter limiter = RateLimiter.of(name, RateLimiterConfig.custom()
                    .limitForPeriod(policy.requestsPerPeriod())
                    .limitRefreshPeriod(policy.period())
                    .timeoutDuration(policy.period().multipliedBy(2).plus(policy.maxWait()))
                    .build(), time::nanoTime);
            return new Guards(policy, retry, breaker, limiter);
        });
    }

    private void waitUninterrupted(Duration wait) {
        try {
            time.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // send() sees the flag and stops
        }
    }

    /**
     * A {@code Retry-After} value (delay in seconds or an HTTP date) as a wait from {@code now}; null
     * when absent or unreadable.
     */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L); // absurdly long: give up rather than wait
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String describe(Exception e, URI uri, FeedPolicy policy) {
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return "no complete answer from " + uri + " within " + policy.timeout().toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return "cannot connect to " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return "connection to " + uri + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private static String unreachableReason(ConnectException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
            return " (unknown host; check the URL and the network)";
        }
        return cause.getMessage() == null || cause.getMessage().isBlank() ? " (connection refused or network unreachable)"
                : " (" + cause.getMessage() + ")";
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        return text.isEmpty() ? "" : ": " + text;
    }

    private static String megabytes(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }


    /** A failure worth another try; {@code retryAfter} is the server's wish, null to back off. */
    private static final class RetryableFailure extends Exception {
        final Duration retryAfter;

        RetryableFailure(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** A response whose body was inflated. */
    private record Decoded(HttpResponse<byte[]> raw, byte[] body) implements HttpResponse<byte[]> {
        @Override
        public int statusCode() {
            return raw.statusCode();
        }

        @Override
        public HttpRequest request() {
            return raw.request();
        }

        @Override
        public Optional<HttpResponse<byte[]>> previousResponse() {
            return raw.previousResponse();
        }

        @Override
        public HttpHeaders headers() {
            return raw.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return raw.sslSession();
        }

        @Override
        public URI uri() {
            return raw.uri();
        }

        @Override
        public HttpClient.Version version() {
            return raw.version();
        }
    }
}

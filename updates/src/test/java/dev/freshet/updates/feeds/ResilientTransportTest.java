package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport against a real loopback server that misbehaves on purpose. */
class ResilientTransportTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final FeedPolicy FAST = FeedPolicy.DEFAULT
            .withAttempts(4, Duration.ofSeconds(1), Duration.ofSeconds(60))
            .withTimeout(Duration.ofMillis(500))
            .withMaxBytes(10_000)
            .withRateLimit(1000, Duration.ofSeconds(1))
            .withBreaker(20, Duration.ofMinutes(1));

    private final FakeTime time = new FakeTime(START);
    private final CountDownLatch release = new CountDownLatch(1);
    private TestServer server;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private ResilientTransport transport(FeedPolicy policy) {
        return new ResilientTransport(HttpClient.newHttpClient(), time, Map.of("test", policy));
    }

    private HttpResponse<byte[]> get(ResilientTransport transport, String path) throws Exception {
        return transport.send("test", HttpRequest.newBuilder(server.uri(path)).GET().build());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void waitsAsLongAsRetryAfterSecondsSaysOn429() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new TestServer(ex -> {
            if (calls.incrementAndGet() == 1) {
                TestServer.respond(ex, 429, "slow down", "Retry-After", "7");
            } else {
                TestServer.respond(ex, 200, "ok");
            }
        });
        assertThat(text(get(transport(FAST), "/x"))).isEqualTo("ok");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void honoursRetryAfterAsAnHttpDateOn503() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(42).atZone(ZoneOffset.UTC));
        AtomicInteger calls = new AtomicInteger();
        server = new TestServer(ex -> {
            if (calls.incrementAndGet() == 1) {
                TestServer.respond(ex, 503, "maintenance", "Retry-After", date);
            } else {
                TestServer.respond(ex, 200, "ok");
            }
        });
        assertThat(text(get(transport(FAST), "/x"))).isEqualTo("ok");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void aRetryAfterBeyondTheCapGivesUpAtOnceInsteadOfWaiting() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 429, "", "Retry-After", "86400"));
        assertThatThrownBy(() -> get(transport(FAST), "/x"))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("feed 'test'").hasMessageContaining("retry after 86400 s").hasMessageContaining("60 s");
        assertThat(server.requests()).hasSize(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void a503BurstIsRiddenOutWithGrowingRandomizedBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new TestServer(ex -> {
            if (calls.incrementAndGet() <= 3) {
                TestServer.respond(ex, 503, "busy");
            } else {
                TestServer.respond(ex, 200, "ok");
            }
        });
        assertThat(text(get(transport(FAST), "/x"))).isEqualTo("ok");
        assertThat(time.sleeps()).hasSize(3);
        // 1 s doubling per try, each randomized by half: [0.5, 1.5], [1, 3], [2, 6] seconds.
        assertThat(time.sleeps().get(0)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        assertThat(time.sleeps().get(1)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3000));
        assertThat(time.sleeps().get(2)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(6000));
    }

    @Test
    void givesUpAfterTheAllowedTriesNamingTheFeedAndTheProblem() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 500, "boom"));
        assertThatThrownBy(() -> get(transport(FAST), "/x"))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("feed 'test'").hasMessageContaining("HTTP 500").hasMessageContaining("gave up after 4 tries");
        assertThat(server.requests()).hasSize(4);
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 404, "no such page"));
        assertThatThrownBy(() -> get(transport(FAST), "/missing"))
                .hasMessageContaining("HTTP 404").hasMessageContaining("/missing").hasMessageContaining("no such page");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void theBreakerOpensAfterRepeatedFailureAndThenSparesTheServer() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 503, "down"));
        ResilientTransport transport = transport(FAST.withBreaker(4, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> get(transport, "/x")).isInstanceOf(FeedException.class);
        assertThat(transport.breakerState("test")).isEqualTo(CircuitBreaker.State.OPEN);
        int asked = server.requests().size();
        assertThatThrownBy(() -> get(transport, "/x")).hasMessageContaining("too many recent failures");
        assertThat(server.requests()).hasSize(asked);

        // Once the open period has passed, one call may try again; a success closes the breaker.
        server.handler(ex -> TestServer.respond(ex, 200, "back"));
        time.advance(Duration.ofMinutes(6));
        assertThat(text(get(transport, "/x"))).isEqualTo("back");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndIsRetried() throws Exception {
        server = new TestServer(ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> get(transport(FAST.withAttempts(2, Duration.ofSeconds(1), Duration.ofSeconds(60))), "/x"))
                .hasMessageContaining("no complete answer").hasMessageContaining("within 500 ms").hasMessageContaining("2 tries");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aBodyThatStopsHalfwayTimesOutToo() throws Exception {
        server = new TestServer(ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[100]);
            out.flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThatThrownBy(() -> get(transport(FAST.withAttempts(1, Duration.ofSeconds(1), Duration.ofSeconds(60))), "/x"))
                .hasMessageContaining("within 500 ms");
    }

    @Test
    void aTruncatedBodyIsRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new TestServer(ex -> {
            if (calls.incrementAndGet() == 1) {
                ex.sendResponseHeaders(200, 1000);
                ex.getResponseBody().write(new byte[300]);
                ex.getResponseBody().flush();
                // the exchange closes in TestServer, 700 bytes short of what was announced
            } else {
                TestServer.respond(ex, 200, "whole");
            }
        });
        assertThat(text(get(transport(FAST), "/x"))).isEqualTo("whole");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void anOversizedBodyIsRefusedWhetherAnnouncedOrNot() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 200, new byte[20_000]));
        assertThatThrownBy(() -> get(transport(FAST), "/big")).hasMessageContaining("larger than 10000 bytes");
        server.handler(ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length announced
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 20; i++) {
                    out.write(new byte[1000]);
                }
            } catch (IOException ignored) {
                // the client hung up, as it should
            }
        });
        assertThatThrownBy(() -> get(transport(FAST), "/chunked")).hasMessageContaining("larger than 10000 bytes");
    }

    @Test
    void gzipIsInflatedAndABombIsStopped() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 200, gzip(new byte[0], "hello feed"), "Content-Encoding", "gzip"));
        HttpResponse<byte[]> response = get(transport(FAST), "/x");
        assertThat(text(response)).isEqualTo("hello feed");
        assertThat(server.requests().get(0).header("Accept-Encoding")).isEqualTo("gzip");

        byte[] bomb = gzip(new byte[5_000_000], "");
        assertThat(bomb.length).isLessThan(10_000);
        server.handler(ex -> TestServer.respond(ex, 200, bomb, "Content-Encoding", "gzip"));
        assertThatThrownBy(() -> get(transport(FAST), "/bomb")).hasMessageContaining("inflates to more than 10000 bytes");

        server.handler(ex -> TestServer.respond(ex, 200, "not gzip at all", "Content-Encoding", "gzip"));
        assertThatThrownBy(() -> get(transport(FAST), "/garbage")).hasMessageContaining("not valid gzip");
    }

    @Test
    void theRateLimiterHoldsToNvdsPublishedLimitWithoutAKey() throws Exception {
        server = new TestServer(ex -> TestServer.respond(ex, 200, "ok"));
        ResilientTransport transport = new ResilientTransport(HttpClient.newHttpClient(), time,
                Map.of("test", NvdFeed.policy(false)));
        for (int i = 0; i < 11; i++) {
            get(transport, "/x");
        }
        // 5 per 30 s: requests 6 and 11 each wait for the next 30 s period.
        assertThat(time.sleeps()).hasSize(2);
        assertThat(time.slept()).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
        assertThat(server.requests()).hasSize(11);
    }

    @Test
    void aRefusedConnectionIsNamedAndNotRetried() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ResilientTransport transport = transport(FAST.withAttempts(5, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThatThrownBy(() -> transport.send("test", HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build()))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port).hasMessageNotContaining("tries");
        assertThat(time.sleeps()).as("no backoff: asking again soon changes nothing").isEmpty();
    }

    @Test
    void anUnknownHostIsNamedAndNotRetried() {
        ResilientTransport transport = transport(FAST.withAttempts(5, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertThatThrownBy(() -> transport.send("test", HttpRequest.newBuilder(URI.create("http://no-such-host.invalid/")).build()))
                .isInstanceOf(FeedException.class)
                .hasMessageContaining("cannot connect to no-such-host.invalid").hasMessageContaining("unknown host");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void retryAfterReadsSecondsAndDatesAndIgnoresGarbage() {
        assertThat(ResilientTransport.retryAfter("120", START)).isEqualTo(Duration.ofSeconds(120));
        assertThat(ResilientTransport.retryAfter("Sun, 01 Mar 2026 10:01:00 GMT", START)).isEqualTo(Duration.ofSeconds(60));
        assertThat(ResilientTransport.retryAfter("Sun, 01 Mar 2026 09:00:00 GMT", START)).isEqualTo(Duration.ZERO);
        assertThat(ResilientTransport.retryAfter("soon", START)).isNull();
        assertThat(ResilientTransport.retryAfter(null, START)).isNull();
        assertThat(ResilientTransport.retryAfter("99999999999999999999999", START)).isGreaterThan(Duration.ofDays(365));
    }

    private static byte[] gzip(byte[] prefix, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(prefix);
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}

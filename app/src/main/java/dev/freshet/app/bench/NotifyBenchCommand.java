package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.JsonOutput;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.notify.NotificationStore;
import dev.freshet.updates.notify.Notifier;
import dev.freshet.updates.notify.Routing;
import dev.freshet.updates.notify.WebhookChannel;
import dev.freshet.updates.notify.WebhookSignature;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench notify}: events appended to a real store while a loopback webhook receiver
 * is up, then down (connection refused), then up again; the production notifier sends them. Counts
 * what arrived, twice or never, and how long critical events took from the log to the receiver.
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
        header = "Measure webhook notification delivery through a receiver outage: delivered, duplicates, lost, latency.",
        description = {"Appends events (every 5th critical) at --rate per second for --up-seconds with the receiver up,",
                "--down-seconds with it down, and --up-seconds up again, then waits for the backlog. The receiver checks",
                "every signature and counts each event it accepted."},
        footer = {"", "Example:", "  freshet bench notify --down-seconds 10 --json"})
public final class NotifyBenchCommand implements Callable<Integer> {
    private static final byte[] SECRET = "bench-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Between the first up phase and the outage, longer than a poll and a delivery. */
    private static final Duration QUIET = Duration.ofMillis(2_000);

    @Option(names = "--rate", defaultValue = "20", paramLabel = "N", description = "Events per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--up-seconds", defaultValue = "5", paramLabel = "S", description = "Each up phase (default: ${DEFAULT-VALUE}).")
    int upSeconds;

    @Option(names = "--down-seconds", defaultValue = "8", paramLabel = "S", description = "The outage (default: ${DEFAULT-VALUE}).")
    int downSeconds;

    @Mixin
    JsonOutput output;

    private final Map<Long, Instant> occurredAt = new ConcurrentHashMap<>();

    /** The receiver's books: when each event first arrived, and how often. */
    private static final class Books {
        final Map<Long, Instant> firstSeen = new ConcurrentHashMap<>();
        final Map<Long, AtomicInteger> times = new ConcurrentHashMap<>();
        final Set<String> keys = ConcurrentHashMap.newKeySet();
        final AtomicInteger badSignatures = new AtomicInteger();
    }

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || rate > 1000 || upSeconds < 1 || downSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--rate must be 1-1000, --up-seconds 1 or more, --down-seconds 0 or more");
        }
        Path dir = Files.createTempDirectory("freshet-bench-notify");
        Books books = new Books();
        HttpServer server = receiver(0, books);
        int port = server.getAddress().getPort();
        try (Database database = Database.open(dir)) {
            Clock clock = Clock.systemUTC();
            EventLog log = new EventLog(database.jdbi());
            WebhookChannel channel = new WebhookChannel(URI.create("http://127.0.0.1:" + port + "/hook"), SECRET,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), clock);
            Notifier.Backoff backoff = new Notifier.Backoff(Duration.ofMillis(500), Duration.ofSeconds(4));
            Map<Long, Boolean> critical = new LinkedHashMap<>();
            Map<Long, Integer> phase = new ConcurrentHashMap<>();
            try (Notifier notifier = new Notifier(List.of(channel), new Routing(true, Routing.Digest.IMMEDIATE, EventType.Severity.INFO,
                    Set.of()), new NotificationStore(database.jdbi()), clock, backoff, Notifier.POLL)) {
                notifier.start();
                produce(log, clock, upSeconds, critical, phase, 1);
                Thread.sleep(QUIET.toMillis()); // what was sent while up arrives before the outage: phase 1 is the steady state
                server.stop(0);
                produce(log, clock, downSeconds, critical, phase, 2);
                server = receiver(port, books);
                Instant back = clock.instant();
                produce(log, clock, upSeconds, critical, phase, 3);
                Instant deadline = clock.instant().plusSeconds(60);
                while (books.firstSeen.size() < critical.size() && clock.instant().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                Thread.sleep(Notifier.POLL.toMillis() * 3); // a duplicate would come now
                report(critical, phase, books, back);
            }
            return ExitCodes.OK;
        } finally {
            server.stop(0);
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Appends events at the bench's rate for {@code seconds}, every 5th critical, noting the phase each was made in. */
    private void produce(EventLog log, Clock clock, int seconds, Map<Long, Boolean> critical, Map<Long, Integer> phase, int now)
            throws InterruptedException {
        Instant end = clock.instant().plusSeconds(seconds);
        while (clock.instant().isBefore(end)) {
            boolean isCritical = critical.size() % 5 == 0;
            Instant at = clock.instant();
            long id = log.append(at, isCritical ? EventType.PROJECT_CRITICAL_FINDING : EventType.RELEASE_CREATED, null,
                    Map.of("bench", critical.size())).id();
            critical.put(id, isCritical);
            occurredAt.put(id, at);
            phase.put(id, now);
            Thread.sleep(Math.max(1, 1000 / rate));
        }
    }

    private void report(Map<Long, Boolean> events, Map<Long, Integer> phase, Books books, Instant back) {
        long delivered = events.keySet().stream().filter(books.firstSeen::containsKey).count();
        long duplicates = books.times.values().stream().mapToLong(c -> Math.max(0, c.get() - 1)).sum();
        Map<Integer, List<Long>> latencies = Map.of(1, new ArrayList<>(), 3, new ArrayList<>());
        Instant lastBacklog = back;
        for (Map.Entry<Long, Boolean> e : events.entrySet()) {
            Instant seen = books.firstSeen.get(e.getKey());
            int when = phase.get(e.getKey());
            if (seen == null) {
                continue;
            }
            if (when == 2) {
                lastBacklog = seen.isAfter(lastBacklog) ? seen : lastBacklog;
            } else if (e.getValue()) {
                latencies.get(when).add(Duration.between(occurredAt.get(e.getKey()), seen).toMillis());
            }
        }
        latencies.values().forEach(l -> l.sort(Comparator.naturalOrder()));
        double backlogSeconds = Duration.between(back, lastBacklog).toMillis() / 1000.0;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("events_produced", events.size());
        figures.put("events_delivered", delivered);
        figures.put("duplicates", duplicates);
        figures.put("lost", events.size() - delivered);
        figures.put("bad_signatures", books.badSignatures.get());
        figures.put("outage_seconds", downSeconds);
        figures.put("backlog_delivered_seconds_after_receiver_up", backlogSeconds);
        figures.put("security_latency_before_outage_ms", latencyFigures(latencies.get(1)));
        figures.put("security_latency_after_outage_ms", latencyFigures(latencies.get(3)));
        output.print(figures, String.format("""
                        events produced: %d, delivered: %d, duplicates: %d (goal 0), lost: %d (goal 0), bad signatures: %d
                        receiver down for %d s: its backlog was delivered %.1f s after it came back
                        security event latency, event appended to receiver (goal < 5000 ms):
                          receiver up, before the outage: %s
                          receiver up again, after the outage (backoff and backlog included): %s""",
                events.size(), delivered, duplicates, events.size() - delivered, books.badSignatures.get(), downSeconds, backlogSeconds,
                latencyText(latencies.get(1)), latencyText(latencies.get(3))));
    }

    private static Map<String, Long> latencyFigures(List<Long> sorted) {
        return Map.of("count", (long) sorted.size(), "p50", SlowBodyProbe.percentile(sorted, 50), "p99", SlowBodyProbe.percentile(sorted, 99),
                "max", sorted.isEmpty() ? 0 : sorted.getLast());
    }

    private static String latencyText(List<Long> sorted) {
        return sorted.size() + " events, p50 " + SlowBodyProbe.percentile(sorted, 50) + " ms, p99 " + SlowBodyProbe.percentile(sorted, 99)
                + " ms, max " + (sorted.isEmpty() ? 0 : sorted.getLast()) + " ms";
    }

    private static HttpServer receiver(int port, Books books) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Instant now = Instant.now();
            String key = exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER);
            boolean signed = WebhookSignature.verify(SECRET, exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body, now, Duration.ofMinutes(5));
            if (!signed) {
                books.badSignatures.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            if (books.keys.add(key)) {
                for (JsonNode event : JSON.readTree(body).get("events")) {
                    long id = event.get("id").asLong();
                    books.firstSeen.putIfAbsent(id, now);
                    books.times.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
            } else {
                // The same delivery again: a receiver honouring the idempotency key keeps it once; counted as a duplicate sent.
                for (JsonNode event : JSON.readTree(body).get("events")) {
                    books.times.computeIfAbsent(event.get("id").asLong(), k -> new AtomicInteger()).incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}

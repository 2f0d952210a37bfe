package dev.freshet.app.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.app.UserError;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.feeds.OsvFeed;
import dev.freshet.updates.feeds.ResilientTransport;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.projects.ProjectFinding;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.schedule.WatchPlan;
import dev.freshet.updates.sources.AdvisorySource;
import dev.freshet.updates.sources.SourceSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench freshness}: how long a new advisory takes from publication on a feed to a
 * finding in a watched project. A loopback server speaks the OSV bucket protocol (all.zip,
 * modified_id.csv, one JSON per record); everything after it is the product's real path: feed sync
 * into the store, the advisory source, the validation gate, an immutable release, activation, and
 * the watched project's rescan.
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
        header = "Time from an advisory's publication to a finding in a watched project.",
        description = {"Advisory freshness end to end: publishes new advisories on a loopback OSV feed and times",
                "publication -> finding in a watched project, (1) with an explicit sync after each publication and",
                "(2) with the scheduler syncing the feed every minute. Optionally seeds the store with an OSV",
                "directory first (--seed) so releases carry a realistic number of rules."},
        footer = {"", "Example:", "  freshet bench freshness --explicit 5 --scheduled 2 --seed ../shared/data/vuln/golang-vulndb/data/osv"})
final class FreshnessBenchCommand implements Callable<Integer> {
    private static final String ECOSYSTEM = "npm";
    private static final String PACKAGE = "freshet-demo-package";

    @Option(names = "--explicit", defaultValue = "5", description = "Publications timed with an explicit sync (default: ${DEFAULT-VALUE}).")
    int explicit;

    @Option(names = "--scheduled", defaultValue = "2",
            description = "Publications timed with the scheduler polling every minute (default: ${DEFAULT-VALUE}; each takes up to a minute).")
    int scheduled;

    @Option(names = "--seed", paramLabel = "DIR", description = "OSV records synced into the store first (a directory feed).")
    Path seed;

    /** The loopback OSV bucket: records by id, each with its modified time. */
    private final Map<String, Instant> published = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (explicit < 0 || scheduled < 0) {
            throw new UserError("--explicit and --scheduled must not be negative");
        }
        if (seed != null && !Files.isDirectory(seed)) {
            throw new UserError("--seed must be a directory of OSV records: " + seed);
        }
        Path work = Files.createTempDirectory("freshet-freshness-bench");
        Path project = Files.createDirectories(work.resolve("project"));
        Files.writeString(project.resolve("package-lock.json"), """
                {"name": "shop", "lockfileVersion": 3, "packages": {"": {"name": "shop"},
                  "node_modules/%s": {"version": "1.2.3"}}}
                """.formatted(PACKAGE));
        // The project is also a Go module, so Go advisories seeded with --seed are relevant to it and released.
        Files.writeString(project.resolve("go.mod"), "module example.com/shop\n\ngo 1.21\n\nrequire golang.org/x/text v0.3.6\n");
        Files.writeString(project.resolve("main.go"), "package main\n\nimport \"golang.org/x/text/language\"\n\n"
                + "func main() {\n\t_, _ = language.Parse(\"en\")\n}\n");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
        publish("GHSA-base-line-0000", Instant.now().minusSeconds(3600), "0.0.1");
        URI bucket = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        Settings settings = Settings.resolve(null, work.resolve("data"), Map.of());
        try (Parts parts = Parts.open(settings)) {
            FeedSync sync = parts.updates().feedSync();
            if (seed != null) {
                long started = System.nanoTime();
                FeedSync.Result seeded = sync.sync(OsvFeed.directory(seed));
                System.out.printf("seed: %d records from %s in %d ms%s%n", seeded.records(), seed, millis(started),
                        seeded.succeeded() ? "" : " (failed: " + seeded.error() + ")");
            }
            Feed feed = new OsvFeed(ResilientTransport.create(Map.of()), bucket, ECOSYSTEM);
            parts.updates().sources().add(new AdvisorySource("advisories", Set.of(), SourceSettings.defaults()));
            ProjectMonitor projects = parts.updates().projects();
            projects.add("shop", project);
            Updater updater = parts.updater();
            ActiveKnowledge active = parts.updates().knowledge();
            Runnable pipeline = () -> {
                try {
                    sync.sync(feed);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                WatchPlan.rescanAfterActivation(updater.check(Trigger.USER), active, projects);
            };
            long started = System.nanoTime();
            pipeline.run();
            System.out.printf("initial sync, release and scan: %d ms, %d rule(s) released%n", millis(started),
                    parts.updates().releases().active().map(r -> r.rules().size()).orElse(0));

            List<Long> explicitMillis = new ArrayList<>();
            for (int i = 1; i <= explicit; i++) {
                String id = "GHSA-expl-icit-%04d".formatted(i);
                Instant at = publish(id, Instant.now(), "9.9.9");
                pipeline.run();
                explicitMillis.add(awaitFinding(projects, id, at, Duration.ofSeconds(5)));
            }
            report("explicit sync", explicitMillis);

            List<Long> scheduledMillis = new ArrayList<>();
            if (scheduled > 0) {
                var jobs = CheckScheduler.feedSyncs(List.of(feed), "0 * * * * *", sync,
                        () -> WatchPlan.rescanAfterActivation(updater.check(Trigger.SCHEDULE), active, projects));
                try (CheckScheduler scheduler = new CheckScheduler(parts.updates().database().dataSource(), jobs, Duration.ofSeconds(1))) {
                    scheduler.start();
                    for (int i = 1; i <= scheduled; i++) {
                        // Publish at a different point of the minute each time: the wait for the next poll varies.
                        Thread.sleep(7_000L * i);
                        String id = "GHSA-sche-dule-%04d".formatted(i);
                        Instant at = publish(id, Instant.now(), "9.9.9");
                        scheduledMillis.add(awaitFinding(projects, id, at, Duration.ofMinutes(3)));
                    }
                }
                report("scheduler, feed polled every minute", scheduledMillis);
            }
        } finally {
            server.stop(0);
        }
        return ExitCodes.OK;
    }

    /** Milliseconds from publication until the project's finding of {@code id} exists. */
    private static long awaitFinding(ProjectMonitor projects, String id, Instant publishedAt, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            var found = projects.findings("shop", false).stream()
                    .filter(f -> f instanceof ProjectFinding.Dependency dependency && dependency.advisoryId().equals(id)).findFirst();
            if (found.isPresent()) {
                return Duration.between(publishedAt, found.get().firstSeen()).toMillis();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("advisory " + id + " did not become a finding within " + patience.toSeconds() + " s");
    }

    private static void report(String mode, List<Long> millis) {
        if (millis.isEmpty()) {
            return;
        }
        List<Long> sorted = millis.stream().sorted().toList();
        System.out.printf("publication -> finding, %s: n=%d, min %d ms, median %d ms, max %d ms%n", mode, sorted.size(),
                sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private Instant publish(String id, Instant modified, String fixed) {
        published.put(id + "|" + fixed, modified);
        return modified;
    }

    private String record(String key) {
        String[] parts = key.split("\\|");
        return """
                {"id": "%s", "modified": "%s", "published": "%s", "summary": "A flaw in %s",
                 "affected": [{"package": {"ecosystem": "npm", "name": "%s"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
                """.formatted(parts[0], published.get(key), published.get(key), PACKAGE, PACKAGE, parts[1]);
    }

    /** The OSV bucket protocol for one ecosystem: all.zip, modified_id.csv (newest first), ID.json. */
    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        if (path.equals("/" + ECOSYSTEM + "/all.zip")) {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(zip)) {
                for (String key : published.keySet()) {
                    out.putNextEntry(new ZipEntry(key.split("\\|")[0] + ".json"));
                    out.write(record(key).getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
            body = zip.toByteArray();
        } else if (path.equals("/" + ECOSYSTEM + "/modified_id.csv")) {
            StringBuilder csv = new StringBuilder();
            published.entrySet().stream().sorted(Map.Entry.<String, Instant>comparingByValue().reversed())
                    .forEach(e -> csv.append(e.getValue()).append(',').append(e.getKey().split("\\|")[0]).append('\n'));
            body = csv.toString().getBytes(StandardCharsets.UTF_8);
        } else {
            String id = path.substring(path.lastIndexOf('/') + 1).replace(".json", "");
            String key = published.keySet().stream().filter(k -> k.startsWith(id + "|")).findFirst().orElse(null);
            if (key == null) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            body = record(key).getBytes(StandardCharsets.UTF_8);
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}

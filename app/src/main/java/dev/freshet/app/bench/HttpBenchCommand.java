package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.FreshetService;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.app.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench http}: many concurrent clients read the API for a while; prints latency
 * percentiles per endpoint and overall, and how many answers were errors.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        header = "Load the HTTP API's read endpoints and print latency percentiles.",
        description = {"Load the HTTP API's read endpoints: CONNECTIONS clients (virtual threads, one connection each)",
                "send GET requests back to back for SECONDS. Without --url it starts a server in this process on a",
                "scratch data directory (starter rules, feeds pointed at a closed loopback port), sharing the machine."},
        footer = {"", "Examples:", "  freshet bench http --seconds 20",
                "  freshet bench http --url http://127.0.0.1:8460 --key \"$KEY\" --connections 200"})
final class HttpBenchCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL", description = "A running 'freshet serve' (default: start one here).")
    String url;

    @Option(names = "--key", paramLabel = "KEY", description = "API key for --url (a viewer key is enough).")
    String key;

    @Option(names = "--connections", defaultValue = "200", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "10", description = "How long to load (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--path", paramLabel = "PATH", description = "Endpoints to load (repeatable; default: the main read endpoints).")
    List<String> chosenPaths = List.of();

    @Option(names = "--warmup", defaultValue = "3", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    private record Sample(int path, long nanos, int status) {
    }

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || seconds < 1 || seconds > 600 || warmup < 0) {
            throw new UserError("--connections must be at least 1 and --seconds from 1 to 600");
        }
        if ((url == null) != (key == null)) {
            throw new UserError("give --url and --key together, or neither to start a server here");
        }
        Path scratch = null;
        FreshetService local = null;
        try {
            URI base;
            String apiKey;
            if (url == null) {
                scratch = Files.createTempDirectory("freshet-bench-http");
                local = startLocal(scratch);
                base = URI.create("http://127.0.0.1:" + local.port());
                apiKey = local.bootstrapKey().orElseThrow();
            } else {
                base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                apiKey = key;
            }
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
            List<String> paths = chosenPaths.isEmpty() ? paths(client, base, apiKey) : chosenPaths;
            System.out.printf("loading %s with %d connections for %d s (after %d s warm-up): %s%n", base, connections, seconds, warmup, paths);
            List<Sample> samples = load(client, base, apiKey, paths);
            report(paths, samples);
            return samples.stream().anyMatch(s -> s.status() >= 500 || s.status() < 0) ? ExitCodes.ERROR : ExitCodes.OK;
        } finally {
            if (local != null) {
                local.close();
            }
            if (scratch != null) {
                deleteQuietly(scratch);
            }
        }
    }

    private FreshetService startLocal(Path scratch) throws IOException {
        Settings settings = Settings.resolve(OfflineConfig.write(scratch), null, Map.of());
        return FreshetService.start(Parts.open(settings), new FreshetService.Options("127.0.0.1", 0, List.of(), 1_000_000, connections, 1024 * 1024,
                Duration.ofSeconds(10), Duration.ofDays(7)), Optional.empty());
    }

    /** The read endpoints, one rule of the active release included. */
    private static List<String> paths(HttpClient client, URI base, String apiKey) throws IOException, InterruptedException {
        HttpResponse<String> rules = client.send(request(base, apiKey, "/api/rules?q=eval"), HttpResponse.BodyHandlers.ofString());
        if (rules.statusCode() != 200) {
            throw new UserError("GET /api/rules answered " + rules.statusCode() + ": " + rules.body());
        }
        JsonNode found = new ObjectMapper().readTree(rules.body()).path("rules");
        List<String> paths = new ArrayList<>(List.of("/api/releases", "/api/rules?q=eval", "/api/feeds", "/api/history", "/health/ready"));
        if (found.size() > 0) {
            paths.add("/api/rules/" + found.get(0).get("id").asText());
        }
        return paths;
    }

    private static HttpRequest request(URI base, String apiKey, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + apiKey)
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private List<Sample> load(HttpClient client, URI base, String apiKey, List<String> paths) throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + Duration.ofSeconds(warmup).toNanos();
        long end = measureFrom + Duration.ofSeconds(seconds).toNanos();
        List<HttpRequest> requests = paths.stream().map(p -> request(base, apiKey, p)).toList();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Sample>>> futures = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int offset = c;
                futures.add(clients.submit(() -> {
                    List<Sample> mine = new ArrayList<>();
                    for (int i = offset; System.nanoTime() < end; i++) {
                        int path = i % requests.size();
                        long sent = System.nanoTime();
                        int status;
                        try {
                            status = client.send(requests.get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            status = -1;
                        }
                        if (sent >= measureFrom) {
                            mine.add(new Sample(path, System.nanoTime() - sent, status));
                        }
                    }
                    return mine;
                }));
            }
            List<Sample> all = new ArrayList<>();
            for (Future<List<Sample>> future : futures) {
                all.addAll(future.get());
            }
            return all;
        }
    }

    private void report(List<String> paths, List<Sample> samples) {
        System.out.printf("%-48s %9s %8s %8s %8s %8s %6s %6s %6s%n", "endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms",
                "4xx", "5xx", "failed");
        for (int p = 0; p < paths.size(); p++) {
            int index = p;
            line(paths.get(p), samples.stream().filter(s -> s.path() == index).toList());
        }
        line("all", samples);
        System.out.printf("throughput: %.0f requests/s%n", samples.size() / (double) seconds);
    }

    private static void line(String name, List<Sample> samples) {
        long[] nanos = samples.stream().mapToLong(Sample::nanos).sorted().toArray();
        System.out.printf("%-48s %9d %8.1f %8.1f %8.1f %8.1f %6d %6d %6d%n", name, nanos.length, percentile(nanos, 50),
                percentile(nanos, 95), percentile(nanos, 99), nanos.length == 0 ? 0 : nanos[nanos.length - 1] / 1e6,
                samples.stream().filter(s -> s.status() >= 400 && s.status() < 500).count(),
                samples.stream().filter(s -> s.status() >= 500).count(), samples.stream().filter(s -> s.status() < 0).count());
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory left behind is harmless
        }
    }
}

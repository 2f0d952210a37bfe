package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.FreshetService;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.app.UserError;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rollout scenario on loopback: a real server scans a corpus of projects continuously while a
 * release with a noisy rule ({@code pattern: $X}) and then a good release go through the plan
 * {@code shadow, 5, 25, 50, 100}. It reports how each ended, findings of the noisy rule that callers
 * saw, failed scans, scans whose findings do not fit the release that served them, and scan
 * latency p99 during the rollouts over p99 before them.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Roll a noisy and a good release out on a local server under continuous scans; print how each ended.",
        footer = {"", "Example:", "  freshet bench rollout --json"})
public final class RolloutBenchCommand implements Callable<Integer> {
    private static final String STABLE = "no-eval";
    private static final String NOISY = "noisy-any-expression";
    private static final String GOOD = "no-exec";

    @Option(names = "--projects", description = "Projects in the corpus (default: ${DEFAULT-VALUE}).", defaultValue = "40")
    int projects;
    @Option(names = "--clients", description = "Callers scanning at once (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int clients;
    @Option(names = "--interval", description = "Analysis interval per step, seconds (default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int interval;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** One scan as a caller saw it. */
    private record Sample(long startedNanos, long millis, String error, boolean mixed, int noisyFindings, String release) {
        boolean failed() {
            return error != null;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (projects < 5 || clients < 1 || interval < 1) {
            throw new UserError("--projects must be at least 5, --clients and --interval at least 1");
        }
        Path scratch = Files.createTempDirectory("freshet-bench-rollout");
        Path code = corpus(scratch.resolve("code"));
        Settings settings = Settings.resolve(OfflineConfig.write(scratch.resolve("state")), null, Map.of());
        Map<String, Set<String>> rulesOf = new LinkedHashMap<>();
        try {
            Parts parts = Parts.open(settings);
            ReleaseStore releases = parts.updates().releases();
            ActivationService activations = parts.updates().activations();
            Release stable = release(releases, rulesOf, List.of(rule(STABLE, "eval(...)")));
            Release noisy = release(releases, rulesOf, List.of(rule(STABLE, "eval(...)"), rule(NOISY, "$X")));
            Release good = release(releases, rulesOf, List.of(rule(STABLE, "eval(...)"), rule(GOOD, "exec(...)")));
            activations.activate(stable.id(), Trigger.USER, "benchmark: stable");
            FreshetService service = FreshetService.start(parts, new FreshetService.Options("127.0.0.1", 0, List.of(code), 1_000_000,
                    64, 1024 * 1024, Duration.ofSeconds(10), Duration.ofDays(1)), Optional.empty());
            try {
                return run(service, code, activations.rollouts(), rulesOf, noisy, good);
            } finally {
                service.close();
            }
        } finally {
            deleteQuietly(scratch);
        }
    }

    private Integer run(FreshetService service, Path code, RolloutEngine engine, Map<String, Set<String>> rulesOf, Release noisy,
                        Release good) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + service.port());
        String key = service.bootstrapKey().orElseThrow();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        RolloutPlan plan = new RolloutPlan(List.of("shadow", "5", "25", "50", "100"), interval, 1, 3, RolloutPlan.Inconclusive.WAIT,
                0.02, 3.0, 2.0, false);
        Map<String, Object> result = new LinkedHashMap<>();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                callers.submit(() -> {
                    while (!stop.get()) {
                        samples.add(scan(http, base, key, code.resolve("p" + Math.floorMod(next.getAndIncrement(), projects)), rulesOf));
                    }
                    return null;
                });
            }
            Thread.sleep(Duration.ofSeconds(5)); // warm-up: compiled code, caches, connections
            long baselineFrom = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(Math.max(5, 2L * interval)));
            long rolloutsFrom = System.nanoTime();
            result.put("noisy", rollOut(engine, noisy, plan, samples, rolloutsFrom));
            result.put("good", rollOut(engine, good, plan, samples, System.nanoTime()));
            stop.set(true);
            List<Sample> all = new ArrayList<>(samples);
            List<Sample> before = all.stream().filter(s -> s.startedNanos() >= baselineFrom && s.startedNanos() < rolloutsFrom).toList();
            List<Sample> during = all.stream().filter(s -> s.startedNanos() >= rolloutsFrom).toList();
            result.put("scans", all.size());
            result.put("failed_scans", all.stream().filter(Sample::failed).count());
            all.stream().filter(Sample::failed).findFirst().ifPresent(s -> result.put("first_failure", s.error()));
            result.put("mixed_snapshots", all.stream().filter(Sample::mixed).count());
            result.put("p99_before_ms", p99(before));
            result.put("p99_during_ms", p99(during));
            result.put("p99_ratio", Math.round(100.0 * p99(during) / Math.max(1, p99(before))) / 100.0);
        }
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        System.out.println(text);
        return ExitCodes.OK;
    }

    private static Map<String, Object> rollOut(RolloutEngine engine, Release release, RolloutPlan plan, ConcurrentLinkedQueue<Sample> samples,
                                               long from) throws InterruptedException {
        Rollout started = engine.start(release.id(), Optional.of(plan), "benchmark").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(plan.intervalSeconds() * 20L + 30).toNanos();
        Rollout now = started;
        while (!now.state().finished() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = engine.latest(Track.RULES).orElseThrow();
        }
        if (!now.state().finished()) {
            now = engine.abort(Track.RULES, "benchmark: out of time");
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("outcome", switch (now.state()) {
            case PROMOTED -> "promoted";
            case ROLLED_BACK -> "rolled_back";
            default -> "timed_out";
        });
        outcome.put("step", now.stepName());
        outcome.put("reason", now.reason());
        outcome.put("seconds", Duration.ofNanos(System.nanoTime() - from).toSeconds());
        // Findings of the noisy rule in any report a caller received while this rollout ran.
        outcome.put("user_visible_findings", samples.stream().filter(s -> s.startedNanos() >= from).mapToInt(Sample::noisyFindings).sum());
        outcome.put("scans_served_by_candidate", samples.stream().filter(s -> release.id().equals(s.release())).count());
        return outcome;
    }

    /** Submits one scan, waits for it, reads its findings. */
    private static Sample scan(HttpClient http, URI base, String key, Path project, Map<String, Set<String>> rulesOf) {
        long start = System.nanoTime();
        try {
            JsonNode queued = send(http, base, key, "POST", "/api/scans", "{\"path\": \"" + project + "\"}");
            String id = queued.path("id").asText();
            JsonNode job;
            do {
                Thread.sleep(10);
                job = send(http, base, key, "GET", "/api/scans/" + id, null);
            } while (job.path("state").asText().toLowerCase(Locale.ROOT).matches("queued|running"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (!job.path("state").asText().equalsIgnoreCase("succeeded")) {
                return new Sample(start, millis, "scan " + id + " " + job.path("state").asText() + ": " + job.path("error").asText(), false, 0, null);
            }
            String release = job.path("release_id").asText();
            JsonNode findings = send(http, base, key, "GET", "/api/scans/" + id + "/results", null).path("results");
            Set<String> served = rulesOf.getOrDefault(release, Set.of());
            boolean mixed = false;
            int noisy = 0;
            for (JsonNode finding : findings) {
                String rule = finding.path("rule_id").asText();
                mixed |= !served.contains(rule);
                noisy += rule.equals(NOISY) ? 1 : 0;
            }
            return new Sample(start, millis, null, mixed, noisy, release);
        } catch (IOException | RuntimeException e) {
            return new Sample(start, (System.nanoTime() - start) / 1_000_000, e.toString(), false, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sample(start, 0, "interrupted", false, 0, null);
        }
    }

    private static JsonNode send(HttpClient http, URI base, String key, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }

    private static long p99(List<Sample> samples) {
        List<Long> sorted = samples.stream().filter(s -> !s.failed()).map(Sample::millis).sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
    }

    /** Small Python projects, each with an eval, an exec and ordinary code. */
    private Path corpus(Path dir) throws IOException {
        for (int p = 0; p < projects; p++) {
            Path project = Files.createDirectories(dir.resolve("p" + p));
            StringBuilder source = new StringBuilder("import os\n\n");
            for (int f = 0; f < 20; f++) {
                source.append("def step_").append(f).append("(data):\n    total = len(data) + ").append(f).append("\n    return total\n\n");
            }
            source.append("def run(text):\n    exec(text)\n    eval(text.strip())\n    eval(text.lower())\n    return eval(text)\n");
            Files.writeString(project.resolve("app.py"), source);
        }
        return dir.toRealPath();
    }

    private static Release release(ReleaseStore releases, Map<String, Set<String>> rulesOf, List<AcceptedRule> rules) {
        Release release = releases.create(rules, new GateReport(List.of()));
        rulesOf.put(release.id(), Set.copyOf(rules.stream().map(AcceptedRule::id).toList()));
        return release;
    }

    private static AcceptedRule rule(String id, String pattern) {
        String yaml = "rules:\n  - id: %s\n    message: found\n    severity: WARNING\n    languages: [python]\n    pattern: %s\n"
                .formatted(id, pattern);
        return new AcceptedRule(id, "benchmark", id + ".yaml", yaml, Sha256.hex(yaml));
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no failure of the benchmark
        }
    }
}

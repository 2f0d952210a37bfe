package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest.Location;
import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.engine.models.RequestParseException;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.learning.AttackPayloads;
import dev.freshet.updates.learning.Calibration;
import dev.freshet.updates.learning.Evaluation;
import dev.freshet.updates.learning.HttpAnomalyLearning;
import dev.freshet.app.Parts;
import dev.freshet.app.Settings;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import java.util.Optional;
import dev.freshet.updates.learning.PayloadInjection;
import dev.freshet.updates.learning.TrafficFiles;
import dev.freshet.updates.learning.ValidationSplit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet bench models}: how fast the http-anomaly model scores, that hot-swapping never
 * fails a request, and how well it detects on CSIC 2010: trained on the training file only, with
 * thresholds calibrated on a validation split of it, evaluated on the test files.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        header = "Measure the http-anomaly model on CSIC 2010: detection, learning, throughput and hot swaps.",
        description = {"The http-anomaly model on CSIC 2010: (1) detection on the test files after training on",
                "normalTrafficTraining.txt, thresholds calibrated on a validation split of the training file to 0.5 % and",
                "0.1 %; (2) --payloads (never trained on) injected into free-text parameters of benign test requests;",
                "(3) incremental learning: a version trained without some routes learns them from a 10,000-request log",
                "holding injected attacks with non-2xx statuses; (4) scoring throughput on one core and p99;",
                "(5) scoring on several threads while versions are swapped: failed requests (must be 0)."},
        footer = {"", "Example:", "  freshet bench models --csic ../shared/data/waf/csic2010 --payloads ../shared/data/waf/httpparams/payload_test.csv \\",
                "      --attacks ../shared/data/waf/httpparams/payload_train.csv"})
public final class ModelsBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Track TRACK = Track.model(HttpAnomalyModel.NAME);

    @Spec
    CommandSpec spec;

    @Option(names = "--csic", required = true, paramLabel = "DIR", description = "Directory with the three CSIC 2010 files.")
    Path csic;

    @Option(names = "--payloads", paramLabel = "FILE", description = "Attack payloads to inject (payload_test.csv).")
    Path payloads;

    @Option(names = "--attacks", paramLabel = "FILE", description = "Payload list for the guard and the injected log attacks (payload_train.csv).")
    Path attacks;

    @Option(names = "--seconds", defaultValue = "5", description = "Length of the throughput and swap phases (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Override
    public Integer call() throws Exception {
        Path training = requireFile(csic.resolve("normalTrafficTraining.txt"));
        Path normalTest = requireFile(csic.resolve("normalTrafficTest.txt"));
        Path anomalousTest = requireFile(csic.resolve("anomalousTrafficTest.txt"));
        List<HttpRequest> trainingRequests = read(training);
        List<HttpRequest> normal = read(normalTest);
        List<HttpRequest> anomalous = read(anomalousTest);
        List<String> trainPayloads = attacks == null ? List.of() : AttackPayloads.readList(requireFile(attacks));

        System.out.println("== detection on CSIC 2010 (trained on " + trainingRequests.size() + " training requests)");
        ValidationSplit split = ValidationSplit.of(trainingRequests, 0.2);
        ProfileSet profiles = new ProfileSet();
        split.training().forEach(request -> profiles.learn(request, parameter -> split.learnsValue(request, parameter)));
        HttpAnomalyModel model = new HttpAnomalyModel(profiles, 0);
        double[] validationScores = split.validation().stream().mapToDouble(model::score).toArray();
        List<Part> testParts = List.of(Part.of("shared part", normal, anomalous, false, model), Part.of("kept-apart part", normal, anomalous, true, model));
        List<HttpRequest> injected = payloads == null ? List.of()
                : PayloadInjection.inject(normal, AttackPayloads.readList(requireFile(payloads)), profiles);
        double[] injectedScores = injected.stream().mapToDouble(model::score).toArray();
        System.out.printf(Locale.ROOT, "validation split: %d requests with new free values (%d values held from training)%n",
                split.validation().size(), split.heldValues().size());
        System.out.println("test files split by the SHA-256 of each request: 1 in " + Part.KEPT_APART_ONE_IN
                + " kept apart, measured the same way; a gap between the parts would show tuning to the shared files");
        for (double target : new double[] {0.005, 0.001}) {
            double threshold = Calibration.threshold(validationScores, target);
            for (Part part : testParts) {
                Evaluation evaluation = Evaluation.of(part.normalScores(), part.anomalousScores(), threshold);
                System.out.printf(Locale.ROOT, "target fpr %.3f, %-15s: threshold %.3f  tpr %.4f (%d/%d)  fpr %.5f (%d/%d)  precision %.4f"
                                + "  auc %.5f  precision@1%% %.4f  precision@0.1%% %.4f%n", target, part.name(), threshold, evaluation.tpr(),
                        evaluation.truePositives(), evaluation.anomalous(), evaluation.fpr(), evaluation.falsePositives(), evaluation.normal(),
                        evaluation.precision(), evaluation.auc(), evaluation.precisionAt1Percent(), evaluation.precisionAtPermille());
            }
            if (injectedScores.length > 0) {
                long detected = Arrays.stream(injectedScores).filter(score -> score > threshold).count();
                System.out.printf(Locale.ROOT, "  injected payloads (%s): %d/%d detected = %.4f%n", payloads.getFileName(), detected,
                        injectedScores.length, detected / (double) injectedScores.length);
            }
        }
        HttpAnomalyModel calibrated = model.withThreshold(Calibration.threshold(validationScores, 0.005));

        Path dataDir = Files.createTempDirectory("freshet-bench-models");
        try (Parts parts = Parts.open(Settings.resolve(null, dataDir, Map.of()))) {
            incremental(parts, dataDir, trainingRequests, normal, anomalous, trainPayloads);
            throughput(calibrated, normal, anomalous, normalTest);
            swap(parts, normal, anomalous);
        }
        return 0;
    }

    /** Trains without some routes, then learns them from a log that also carries attacks with non-2xx statuses. */
    private void incremental(Parts parts, Path dataDir, List<HttpRequest> trainingRequests, List<HttpRequest> normal,
                             List<HttpRequest> anomalous, List<String> trainPayloads) throws IOException {
        Map<String, Long> perRoute = trainingRequests.stream().collect(Collectors.groupingBy(ProfileSet::routeKey, Collectors.counting()));
        List<String> routes = perRoute.entrySet().stream().filter(e -> e.getValue() >= 200).map(Map.Entry::getKey).sorted().toList();
        Set<String> leftOut = new TreeSet<>();
        for (int i = 0; i < routes.size(); i += 5) {
            leftOut.add(routes.get(i));
        }
        List<HttpRequest> first = trainingRequests.stream().filter(r -> !leftOut.contains(ProfileSet.routeKey(r))).toList();
        List<HttpRequest> withheld = trainingRequests.stream().filter(r -> leftOut.contains(ProfileSet.routeKey(r))).toList();
        System.out.println("== incremental learning: " + leftOut.size() + " routes left out of the first version " + leftOut);
        HttpAnomalyLearning learning = parts.learning(HttpAnomalyModel.NAME, HttpAnomalyLearning.Settings.defaults(), Optional.empty());
        learning.train(first, trainPayloads, Map.of("sources", List.of("bench")), new ArrayList<>());
        parts.updates().knowledge().refresh();
        HttpAnomalyModel before = learning.activeArtifact().orElseThrow().model();

        int attackCount = 300;
        List<String> logPayloads = trainPayloads.isEmpty() ? List.of("' or 1=1 --", "<script>alert(1)</script>", "../../etc/passwd")
                : trainPayloads;
        List<HttpRequest> logAttacks = PayloadInjection.inject(withheld, logPayloads.subList(0, Math.min(logPayloads.size(), 5_000)),
                before.profiles()).stream().limit(attackCount).toList();
        if (logAttacks.size() < attackCount) {
            List<HttpRequest> carriers = withheld;
            logAttacks = new ArrayList<>(logAttacks);
            for (int i = 0; logAttacks.size() < attackCount; i++) {
                HttpRequest carrier = carriers.get(i % carriers.size());
                List<Parameter> parameters = new ArrayList<>(carrier.parameters());
                parameters.add(new Parameter(Location.QUERY, "q", logPayloads.get(i % logPayloads.size())));
                logAttacks.add(new HttpRequest(carrier.method(), carrier.path(), parameters));
            }
        }
        Path log = dataDir.resolve("access.jsonl");
        int benignInLog = 10_000 - attackCount;
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            int written = 0;
            for (int i = 0; written < benignInLog; i++) {
                HttpRequest request = i < withheld.size() ? withheld.get(i) : first.get((i * 7919) % first.size());
                out.write(jsonLine(request, 200, "10.0." + (i % 40) + ".1"));
                out.newLine();
                written++;
                if (written % (benignInLog / attackCount) == 0 && written / (benignInLog / attackCount) <= attackCount) {
                    int a = written / (benignInLog / attackCount) - 1;
                    out.write(jsonLine(logAttacks.get(a), a % 2 == 0 ? 403 : 500, "203.0.113." + (a % 20)));
                    out.newLine();
                }
            }
        }
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long processCpuStart = processCpuNanos();
        long start = System.nanoTime();
        HttpAnomalyLearning.Outcome outcome = learning.learn(List.of(log), TrafficFormat.JSONL, false);
        long swapStart = System.nanoTime();
        parts.updates().knowledge().refresh(); // the swap: the new version loaded into the running snapshot
        long end = System.nanoTime();
        double updateSeconds = (end - start) / 1e9;
        double updateCpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double processCpuSeconds = (processCpuNanos() - processCpuStart) / 1e9;
        HttpAnomalyModel after = activeModel(parts.updates().knowledge().holder().current());
        System.out.println("update: " + outcome.message() + "; phases (ms): " + outcome.provenance().get("millis") + ", of which gate "
                + outcome.evaluation().get("millis") + "; swap " + (end - swapStart) / 1_000_000);
        System.out.printf(Locale.ROOT, "read %s, admitted %s, quarantined %s %s, waiting for clients %s; whole update (collect, fine-tune,"
                        + " validate, release, swap) %.2f s wall, %.2f s CPU on its thread, %.2f s CPU of the whole process (JIT and GC"
                        + " included); load average %.1f before, %.1f after on %d cores%n", outcome.provenance().get("read"),
                outcome.provenance().get("admitted"), outcome.provenance().get("quarantined"), outcome.provenance().get("quarantined_by_reason"),
                outcome.provenance().get("waiting_for_clients"), updateSeconds, updateCpuSeconds, processCpuSeconds, loadBefore,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        List<HttpRequest> normalOnRoutes = normal.stream().filter(r -> leftOut.contains(ProfileSet.routeKey(r))).toList();
        List<HttpRequest> anomalousOnRoutes = anomalous.stream().filter(r -> leftOut.contains(ProfileSet.routeKey(r))).toList();
        for (Map.Entry<String, HttpAnomalyModel> entry : Map.of("before", before, "after", after).entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.reverseOrder())).toList()) {
            HttpAnomalyModel version = entry.getValue();
            System.out.printf(Locale.ROOT, "%-6s: false positives on those routes %d/%d = %.4f; detection on all anomalous %.4f,"
                            + " on those routes %.4f; fpr on all normal %.5f (threshold %.3f)%n", entry.getKey(),
                    flagged(version, normalOnRoutes), normalOnRoutes.size(), rate(flagged(version, normalOnRoutes), normalOnRoutes.size()),
                    rate(flagged(version, anomalous), anomalous.size()), rate(flagged(version, anomalousOnRoutes), anomalousOnRoutes.size()),
                    rate(flagged(version, normal), normal.size()), version.threshold());
        }
    }

    private void throughput(HttpAnomalyModel model, List<HttpRequest> normal, List<HttpRequest> anomalous, Path normalTest)
            throws IOException {
        System.out.println("== scoring throughput on one thread (parsed requests; then raw text parsed and scored)");
        List<HttpRequest> mix = new ArrayList<>(normal);
        mix.addAll(anomalous);
        List<String> raw = rawRequests(normalTest);
        measure("warm-up  assess", i -> model.assess(mix.get(i % mix.size())).score());
        measure("parsed   assess", i -> model.assess(mix.get(i % mix.size())).score());
        measure("raw parse+assess", i -> {
            try {
                return model.assess(HttpRequestParser.parseRaw(raw.get(i % raw.size()))).score();
            } catch (RequestParseException e) {
                return -1;
            }
        });
    }

    /** Runs {@code scoring} on request after request for half of --seconds, timing each. */
    private void measure(String label, IntToDoubleFunction scoring) {
        long[] latencies = new long[1 << 22];
        int count = 0;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L / 2;
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long start = System.nanoTime();
        double sink = 0;
        while (System.nanoTime() < deadline && count < latencies.length) {
            for (int i = 0; i < 1000 && count < latencies.length; i++) {
                long t0 = System.nanoTime();
                sink += scoring.applyAsDouble(count);
                latencies[count++] = System.nanoTime() - t0;
            }
        }
        long nanos = System.nanoTime() - start;
        long cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart;
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        // Requests per CPU-second of the scoring thread is the per-core figure even when other processes share the cores.
        System.out.printf(Locale.ROOT, "%s: %d requests in %.2f s = %.0f requests/s wall, %.0f per CPU-second of its core;"
                        + " p50 %.1f us, p99 %.1f us (checksum %.0f)%n", label, count, nanos / 1e9, count / (nanos / 1e9),
                count / (cpuNanos / 1e9), sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3, sink);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static HttpAnomalyModel activeModel(Knowledge snapshot) {
        return snapshot.track(TRACK.name()).flatMap(t -> t.active().model()).orElseThrow();
    }

    /**
     * Scoring threads take the running snapshot's model per request while the two versions the
     * learning phase released are rolled back and forth through the store: each rollback is one
     * history row, then the snapshot is rebuilt (the artifact loaded) and swapped. The rollback time
     * is from the request to roll back until scoring uses the other version.
     */
    private void swap(Parts parts, List<HttpRequest> normal, List<HttpRequest> anomalous) throws Exception {
        List<Activation> history = parts.updates().releases().history(TRACK);
        if (history.size() < 2) {
            System.out.println("== hot swap: skipped, the learning phase made no second version");
            return;
        }
        String first = history.getFirst().releaseId();
        String second = history.getLast().releaseId();
        KnowledgeHolder holder = parts.updates().knowledge().holder();
        List<HttpRequest> mix = new ArrayList<>(normal);
        mix.addAll(anomalous);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong scored = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        List<Thread> scorers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 997;
            scorers.add(Thread.ofPlatform().start(() -> {
                int i = offset;
                while (running.get()) {
                    try {
                        activeModel(holder.current()).assess(mix.get(i++ % mix.size()));
                        scored.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        List<Long> rollbackNanos = new ArrayList<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String target = rollbackNanos.size() % 2 == 0 ? first : second;
            long start = System.nanoTime();
            parts.updates().activations().rollback(TRACK, Optional.of(target), Trigger.USER, "bench: hot swap");
            parts.updates().knowledge().refresh();
            if (!holder.current().track(TRACK.name()).orElseThrow().active().releaseId().equals(target)) {
                throw new IllegalStateException("the snapshot did not swap to " + target);
            }
            rollbackNanos.add(System.nanoTime() - start);
            Thread.sleep(20);
        }
        running.set(false);
        for (Thread scorer : scorers) {
            scorer.join();
        }
        List<Long> sorted = rollbackNanos.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "== hot swap: %d threads scored %d requests while %d rollbacks were made through the store: %d failed%n",
                threads, scored.get(), sorted.size(), failed.get());
        System.out.printf(Locale.ROOT, "model rollback time (history row committed, snapshot rebuilt with the version loaded, swapped): p50 %.1f ms, max %.1f ms%n",
                sorted.get(sorted.size() / 2) / 1e6, sorted.getLast() / 1e6);
    }

    /**
     * One part of the CSIC test files and its scores. A request belongs to the kept-apart part by the
     * SHA-256 of its parsed form, so the split is the same on every run and no tuning can pick it.
     */
    private record Part(String name, double[] normalScores, double[] anomalousScores) {
        static final int KEPT_APART_ONE_IN = 8;

        static Part of(String name, List<HttpRequest> normal, List<HttpRequest> anomalous, boolean keptApart, HttpAnomalyModel model) {
            return new Part(name, scores(normal, keptApart, model), scores(anomalous, keptApart, model));
        }

        private static double[] scores(List<HttpRequest> requests, boolean keptApart, HttpAnomalyModel model) {
            return requests.stream().filter(request -> keptApart(request) == keptApart).mapToDouble(model::score).toArray();
        }

        static boolean keptApart(HttpRequest request) {
            return Byte.toUnsignedInt(Sha256.digest().digest(request.toString().getBytes(StandardCharsets.UTF_8))[0])
                    < 256 / KEPT_APART_ONE_IN;
        }
    }

    private static long flagged(HttpAnomalyModel model, List<HttpRequest> requests) {
        return requests.stream().filter(request -> model.score(request) > model.threshold()).count();
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? Double.NaN : part / (double) whole;
    }

    /** A JSON line as {@code freshet models learn --format jsonl} reads it. */
    private static String jsonLine(HttpRequest request, int status, String client) throws IOException {
        StringBuilder query = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder cookies = new StringBuilder();
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Parameter parameter : request.parameters()) {
            switch (parameter.location()) {
                case QUERY -> append(query, parameter);
                case BODY -> append(body, parameter);
                case COOKIE -> cookies.append(cookies.isEmpty() ? "" : "; ").append(parameter.name()).append('=').append(parameter.value());
                case HEADER -> headers.put(parameter.name(), parameter.value());
            }
        }
        if (!cookies.isEmpty()) {
            headers.put("cookie", cookies.toString());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("method", request.method());
        line.put("url", URLEncoder.encode(request.path(), StandardCharsets.UTF_8).replace("%2F", "/") + (query.isEmpty() ? "" : "?" + query));
        line.put("headers", headers);
        if (!body.isEmpty()) {
            line.put("body", body.toString());
        }
        line.put("status", status);
        line.put("client", client);
        return JSON.writeValueAsString(line);
    }

    private static void append(StringBuilder form, Parameter parameter) {
        form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(parameter.name(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(parameter.value(), StandardCharsets.UTF_8));
    }

    private List<HttpRequest> read(Path file) throws IOException {
        return TrafficFiles.read(file, TrafficFormat.CSIC, null, Integer.MAX_VALUE).records().stream().map(r -> r.request()).toList();
    }

    /** The raw text of each request in a CSIC file (split at request lines). */
    private static List<String> rawRequests(Path file) throws IOException {
        List<String> requests = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.matches("^(GET|POST|PUT|DELETE|HEAD) \\S+ HTTP/1\\.[01]$") && !current.isEmpty()) {
                requests.add(current.toString());
                current.setLength(0);
            }
            current.append(line).append('\n');
        }
        if (!current.isEmpty()) {
            requests.add(current.toString());
        }
        return requests;
    }

    private Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), file + ": no such file (give the directory holding the CSIC 2010 files)");
        }
        return file;
    }
}

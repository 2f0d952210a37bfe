package dev.freshet.app.bench;

import dev.freshet.app.Engine;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.UserError;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.SnapshotWithPolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.sources.FetchResult;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench swap}: scans run back to back while releases are activated and rolled back
 * in a real store; the running engine follows the store and swaps its snapshot. Shows that no scan
 * fails or mixes two rule sets, how fast a change reaches the engine, and what it costs scans.
 */
@Command(name = "swap", mixinStandardHelpOptions = true,
        header = "Hot-swap releases under scanning load.",
        description = {"Hot-swap under load: validates the rules under --rules into release A (all) and B (half)",
                "in a temporary store, then scans --input continuously while B is activated and rolled back",
                "repeatedly. Prints scans done/failed/mixed (must be 0), activations, the time from an",
                "activation until the engine uses it, and scan latency p50/p99 before and during swapping."},
        footer = {"", "Example:", "  freshet bench swap --rules rules/ --input rules/ --seconds 10"})
final class SwapBenchCommand implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "DIR", description = "Directory of rule files (release A).")
    Path rules;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Source files each scan covers.")
    Path input;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--swap-every-ms", defaultValue = "100", description = "Pause between activations (default: ${DEFAULT-VALUE}).")
    int swapEveryMillis;

    @Option(names = "--scanners", defaultValue = "2", description = "Concurrent scanning threads (default: ${DEFAULT-VALUE}).")
    int scanners;

    @Override
    public Integer call() throws Exception {
        List<Path> files = Inputs.sourceFiles(input, 200);
        if (!Files.isDirectory(rules)) {
            throw new UserError("--rules must be a directory: " + rules);
        }
        Path data = Files.createTempDirectory("freshet-swap-bench");
        Engine engine = Engine.create();
        try (Database database = Database.open(data)) {
            ReleaseStore releases = new ReleaseStore(database);
            List<AcceptedRule> accepted = validate(engine, rules, data);
            if (accepted.size() < 2) {
                throw new UserError("need at least two valid rules under " + rules);
            }
            var noReport = new GateReport(List.of());
            Release a = releases.create(accepted, noReport);
            Release b = releases.create(accepted.subList(0, accepted.size() / 2), noReport);
            releases.activate(a.id(), Trigger.USER, "benchmark");
            RuleCompiler compiler = new RuleCompiler(engine.loader(), 100_000);
            Map<String, Set<String>> expected = Map.of(
                    a.id(), ruleIds(engine, compiler, a, files), b.id(), ruleIds(engine, compiler, b, files));
            try (ActiveKnowledge active = new ActiveKnowledge(releases, new Overrides(database), compiler,
                    new KnowledgeHolder(Knowledge.EMPTY))) {
                active.refresh();
                active.follow(Duration.ofMillis(5));
                Phase quiet = run(engine, active.holder(), files, expected, null, a, b);
                Phase swapping = run(engine, active.holder(), files, expected, releases, a, b);
                System.out.printf("input: %d files; release A %d rules, B %d rules; scanners: %d%n", files.size(),
                        a.rules().size(), b.rules().size(), scanners);
                print("before swaps", quiet);
                print("during swaps", swapping);
                return quiet.failed.get() + swapping.failed.get() + swapping.mixed.get() == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
            }
        } finally {
            try (var walk = Files.walk(data)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Release A is what the real validation gate accepts from the rules directory. */
    private static List<AcceptedRule> validate(Engine engine, Path rules, Path data) throws Exception {
        LocalDirectorySource source = new LocalDirectorySource("bench", rules.toAbsolutePath().normalize(), SourceSettings.defaults());
        FetchResult fetched = new SourceFetchers(data.resolve("git")).fetcherFor(source).fetch(Optional.empty());
        if (!(fetched instanceof FetchResult.Changed changed)) {
            throw new IllegalStateException("a first fetch always reports a change");
        }
        return new ValidationGate(engine.parser(), GatePolicy.defaults("0.1.0")).validate(List.of(SnapshotWithPolicy.of(changed.snapshot(),
                source.settings()))).accepted();
    }

    private static Set<String> ruleIds(Engine engine, RuleCompiler compiler, Release release, List<Path> files) {
        Knowledge knowledge = compiler.compile(release.id(), ActiveKnowledge.documents(release.rules())).knowledge();
        return ruleIds(engine.scanner(1, Engine.TIMEOUT_PER_FILE, true).scan(knowledge.rules(), files, null, n -> { }));
    }

    private static Set<String> ruleIds(ScanResult result) {
        return result.findings().stream().map(f -> f.ruleId()).collect(Collectors.toSet());
    }

    private static final class Phase {
        final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
        final List<Long> propagationNanos = new ArrayList<>();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger mixed = new AtomicInteger();
        long maxActivationNanos;
        int activations;
    }

    private Phase run(Engine engine, KnowledgeHolder holder, List<Path> files, Map<String, Set<String>> expected,
                      ReleaseStore releases, Release a, Release b) throws InterruptedException {
        Phase phase = new Phase();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < scanners; i++) {
            threads.add(Thread.ofPlatform().stackSize(64L * 1024 * 1024).start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        Knowledge snapshot = holder.current();
                        Set<String> seen = ruleIds(engine.scanner(1, Engine.TIMEOUT_PER_FILE, true).scan(snapshot.rules(), files, null, n -> { }));
                        if (!seen.equals(expected.get(snapshot.releaseId()))) {
                            phase.mixed.incrementAndGet();
                        }
                        phase.latenciesNanos.add(System.nanoTime() - start);
                    } catch (RuntimeException e) {
                        phase.failed.incrementAndGet();
                    }
                }
            }));
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        boolean toB = true;
        while (System.nanoTime() < end) {
            if (releases == null) {
                Thread.sleep(50);
                continue;
            }
            String target = toB ? b.id() : a.id();
            long start = System.nanoTime();
            if (toB) {
                releases.activate(b.id(), Trigger.USER, "benchmark");
            } else {
                releases.rollback(Optional.empty(), Trigger.USER, "benchmark");
            }
            long activated = System.nanoTime();
            phase.maxActivationNanos = Math.max(phase.maxActivationNanos, activated - start);
            while (!holder.current().releaseId().equals(target) && System.nanoTime() - activated < Duration.ofSeconds(5).toNanos()) {
                Thread.onSpinWait();
            }
            phase.propagationNanos.add(System.nanoTime() - activated);
            phase.activations++;
            toB = !toB;
            Thread.sleep(swapEveryMillis);
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        return phase;
    }

    private static double percentile(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
    }

    private static void print(String label, Phase phase) {
        System.out.printf("%s: scans %d, failed %d, mixed %d, latency p50 %.1f ms, p99 %.1f ms", label,
                phase.latenciesNanos.size() + phase.failed.get(), phase.failed.get(), phase.mixed.get(),
                percentile(phase.latenciesNanos, 0.5), percentile(phase.latenciesNanos, 0.99));
        if (phase.activations > 0) {
            System.out.printf("; activations/rollbacks %d (store change max %.1f ms), until the engine used them p50 %.1f ms, max %.1f ms",
                    phase.activations, phase.maxActivationNanos / 1e6, percentile(phase.propagationNanos, 0.5),
                    percentile(phase.propagationNanos, 1.0));
        }
        System.out.println();
    }
}

package dev.freshet.app;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.ScanResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench swap}: scans run back to back while the active rule set is swapped between
 * two releases, to show that no scan fails or mixes rule sets and what swapping costs in latency.
 */
@Command(name = "swap", mixinStandardHelpOptions = true,
        description = {"Hot-swap under load: scanners run continuously on --input while the active rule set",
                "alternates between all rules under --rules (release A) and half of them (release B).",
                "Prints scans done and failed, scans that saw a mix of A and B (must be 0), swaps made,",
                "and scan latency p50/p99 before and during swapping."},
        footer = {"", "Example:", "  freshet bench swap --rules rules/ --input rules/ --seconds 10"})
final class SwapBenchCommand implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "PATH", description = "Rule file or directory (release A).")
    Path rules;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Source files each scan covers.")
    Path input;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--swap-every-ms", defaultValue = "20", description = "Pause between swaps (default: ${DEFAULT-VALUE}).")
    int swapEveryMillis;

    @Option(names = "--scanners", defaultValue = "2", description = "Concurrent scanning threads (default: ${DEFAULT-VALUE}).")
    int scanners;

    @Override
    public Integer call() throws Exception {
        List<Path> files = Inputs.sourceFiles(input, 200);
        Engine engine = Engine.create(1, Duration.ofSeconds(30), true);
        RuleSet set = engine.loader().load(List.of(rules));
        if (set.rules().size() < 2) {
            throw new UserError("need at least two rules under " + rules);
        }
        Knowledge releaseA = new Knowledge("A", set.rules());
        Knowledge releaseB = new Knowledge("B", set.rules().subList(0, set.rules().size() / 2));
        // Each snapshot produces its own set of rule ids on this input; a scan must see exactly one of them.
        Set<String> idsA = ruleIds(engine.scanner().scan(releaseA.rules(), files, input, n -> { }));
        Set<String> idsB = ruleIds(engine.scanner().scan(releaseB.rules(), files, input, n -> { }));
        KnowledgeHolder holder = new KnowledgeHolder(releaseA);

        Phase quiet = run(engine, holder, files, idsA, idsB, null, null);
        Phase swapping = run(engine, holder, files, idsA, idsB, releaseA, releaseB);
        System.out.printf("input: %d files, rules: A=%d B=%d, scanners: %d%n", files.size(), releaseA.rules().size(),
                releaseB.rules().size(), scanners);
        print("before swaps", quiet);
        print("during swaps", swapping);
        return quiet.failed.get() + swapping.failed.get() + swapping.mixed.get() == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static Set<String> ruleIds(ScanResult result) {
        return result.findings().stream().map(f -> f.ruleId()).collect(java.util.stream.Collectors.toSet());
    }

    private static final class Phase {
        final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger mixed = new AtomicInteger();
        final AtomicInteger swaps = new AtomicInteger();
        long maxSwapNanos;
    }

    private Phase run(Engine engine, KnowledgeHolder holder, List<Path> files, Set<String> idsA, Set<String> idsB,
                      Knowledge a, Knowledge b) throws InterruptedException {
        Phase phase = new Phase();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < scanners; i++) {
            threads.add(Thread.ofPlatform().stackSize(64L * 1024 * 1024).start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        Knowledge snapshot = holder.current();
                        Set<String> seen = ruleIds(engine.scanner().scan(snapshot.rules(), files, input, n -> { }));
                        if (!seen.equals(snapshot.releaseId().equals("A") ? idsA : idsB)) {
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
            if (a == null) {
                Thread.sleep(50);
                continue;
            }
            long start = System.nanoTime();
            holder.swap(toB ? b : a);
            phase.maxSwapNanos = Math.max(phase.maxSwapNanos, System.nanoTime() - start);
            phase.swaps.incrementAndGet();
            toB = !toB;
            Thread.sleep(swapEveryMillis);
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        holder.swap(a == null ? holder.current() : a);
        return phase;
    }

    private static void print(String label, Phase phase) {
        List<Long> sorted = new ArrayList<>(phase.latenciesNanos);
        Collections.sort(sorted);
        double p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
        double p99 = sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1e6;
        System.out.printf("%s: scans %d, failed %d, mixed %d, swaps %d (slowest swap %.3f ms), latency p50 %.1f ms, p99 %.1f ms%n",
                label, sorted.size() + phase.failed.get(), phase.failed.get(), phase.mixed.get(), phase.swaps.get(),
                phase.maxSwapNanos / 1e6, p50, p99);
    }
}

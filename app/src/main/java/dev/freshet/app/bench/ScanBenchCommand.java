package dev.freshet.app.bench;

import dev.freshet.app.Engine;
import dev.freshet.app.ExitCodes;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet bench scan}: measures scanning speed and memory on a large generated input. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        header = "Measure scan throughput and peak heap.",
        description = {"Measure scan throughput: copies the source files found under --input until the",
                "copy holds --files files, scans them with --rules and prints files/s, lines/s and peak heap."},
        footer = {"", "Example:", "  freshet bench scan --rules ../shared/corpus/semgrep-rules/python --input ../shared/corpus/semgrep-rules/python --files 5000"})
final class ScanBenchCommand implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "PATH", description = "Rule file or directory.")
    Path rules;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory whose source files are repeated to build the input.")
    Path input;

    @Option(names = "--files", defaultValue = "5000", paramLabel = "N", description = "Number of files to scan (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files scanned at once (default: number of cores).")
    Integer jobs;

    @Override
    public Integer call() throws IOException {
        List<Path> sources = Inputs.sourceFiles(input, Integer.MAX_VALUE);
        Path work = Files.createTempDirectory("freshet-bench");
        try {
            List<Path> copies = new ArrayList<>();
            for (int i = 0; copies.size() < files; i++) {
                Path source = sources.get(i % sources.size());
                Path copy = work.resolve(String.valueOf(i / sources.size())).resolve(i + "-" + source.getFileName());
                Files.createDirectories(copy.getParent());
                Files.copy(source, copy);
                copies.add(copy);
            }
            int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
            Engine engine = Engine.create();
            long loadStart = System.nanoTime();
            RuleSet ruleSet = engine.loader().load(List.of(rules));
            long loadNanos = System.nanoTime() - loadStart;
            System.gc();
            List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            ScanResult result = engine.scanner(threads, Engine.TIMEOUT_PER_FILE, true).scan(ruleSet.rules(), copies, work, done -> { });
            long peakHeap = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            double seconds = result.elapsedNanos() / 1e9;
            System.out.printf("rules: %d loaded (%d skipped) in %.2f s%n", ruleSet.rules().size(), ruleSet.problems().size(), loadNanos / 1e9);
            System.out.printf("input: %d files, %d lines (from %d distinct files under %s)%n",
                    result.filesScanned(), result.linesScanned(), sources.size(), input);
            System.out.printf("threads: %d, time: %.2f s, findings: %d, problems: %d%n",
                    threads, seconds, result.findings().size(), result.problems().size());
            System.out.printf("throughput: %.0f files/s, %.0f lines/s%n", result.filesScanned() / seconds, result.linesScanned() / seconds);
            System.out.printf("matching time, all rules summed over files and threads: %.2f s; slowest rules:%n",
                    result.ruleNanos().values().stream().mapToLong(Long::longValue).sum() / 1e9);
            result.slowestRules(10).forEach(rule -> System.out.printf("  %8.2f s  %s%n", rule.getValue() / 1e9, rule.getKey()));
            System.out.printf("peak heap (sum of pool peaks): %d MiB, max heap %d MiB%n",
                    peakHeap / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024));
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

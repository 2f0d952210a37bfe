package dev.freshet.app.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.freshet.app.Engine;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.JsonOutput;
import dev.freshet.app.UserError;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.StageNanos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench scan}: measures scanning speed and memory on a large input made by repeating the
 * files of a directory, once per thread count asked for, after a warm-up scan that is not measured.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        header = "Measure scan throughput per thread count, and peak heap.",
        description = {"Measure scan throughput: copies the source files found under --input until the copy holds",
                "--files files (or --lines lines), scans them with --rules once per --jobs count and prints files/s,",
                "lines/s, where the time went (read, prefilter, parse, match) and peak heap; with two or more counts",
                "also the throughput of the last against the first. Run with FRESHET_JAVA_OPTS=-Xmx2g to hold the",
                "scan to 2 GiB of heap."},
        footer = {"", "Examples:", "  freshet bench scan --rules ../shared/corpus/semgrep-rules/python --input ../shared/corpus/semgrep-rules/python --files 5000",
                "  FRESHET_JAVA_OPTS=-Xmx2g freshet bench scan --rules bench/rules/semgrep/python.yaml --input ../shared/corpus/code/sqlalchemy --lines 1000000 --jobs 1,2"})
final class ScanBenchCommand implements Callable<Integer> {
    private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    @Option(names = "--rules", required = true, paramLabel = "PATH", description = "Rule file or directory.")
    Path rules;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory whose source files are repeated to build the input.")
    Path input;

    @Option(names = "--files", defaultValue = "5000", paramLabel = "N", description = "Number of files to scan (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--lines", paramLabel = "N", description = "Instead of --files: repeat files until the input holds at least N lines.")
    Long lines;

    @Option(names = {"-j", "--jobs"}, split = ",", paramLabel = "N", description = "Files scanned at once; a list (1,2) measures each (default: number of cores).")
    List<Integer> jobs;

    @Option(names = "--warmup", defaultValue = "200", paramLabel = "N", description = "Files scanned first, unmeasured, so that no run pays for JIT warm-up (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    JsonOutput json;

    /**
     * One measured scan; times in seconds, stages summed over threads. {@code cpuSeconds} is the process's CPU
     * time during the scan: on a shared machine, lines per CPU-second tells whether more threads wasted work
     * when the wall-clock throughput cannot show it.
     */
    record Run(int threads, double seconds, double filesPerSecond, double linesPerSecond, double cpuSeconds,
               double linesPerCpuSecond, int findings, int problems, long peakHeapMib, double readSeconds,
               double prefilterSeconds, double parseSeconds, double matchSeconds) {
    }

    /** @param throughputRatio lines/s of the last run over the first's (null with one run) */
    record Figures(int rules, int files, long lines, int distinctFiles, String parserRuntime, long maxHeapMib, List<Run> runs,
                   Double throughputRatio) {
    }

    @Override
    public Integer call() throws IOException {
        List<Integer> threadCounts = jobs == null ? List.of(Runtime.getRuntime().availableProcessors()) : jobs;
        if (threadCounts.stream().anyMatch(n -> n < 1) || files < 1 || lines != null && lines < 1 || warmup < 0) {
            throw new UserError("--jobs, --files and --lines must be at least 1, --warmup at least 0");
        }
        List<Path> sources = Inputs.sourceFiles(input, Integer.MAX_VALUE);
        Path work = Files.createTempDirectory("freshet-bench");
        try {
            List<Path> copies = copies(sources, work);
            Engine engine = Engine.create();
            long loadStart = System.nanoTime();
            RuleSet ruleSet = engine.loader().load(List.of(rules));
            long loadNanos = System.nanoTime() - loadStart;
            List<Rule> loaded = ruleSet.rules();
            if (warmup > 0) {
                engine.scanner(threadCounts.get(0), Engine.TIMEOUT_PER_FILE, true)
                        .scan(loaded, copies.subList(0, Math.min(warmup, copies.size())), work, done -> { });
            }
            List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).toList();
            List<Run> runs = new ArrayList<>();
            ScanResult last = null;
            for (int threads : threadCounts) {
                System.gc();
                heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
                long cpuBefore = PROCESS.getProcessCpuTime();
                last = engine.scanner(threads, Engine.TIMEOUT_PER_FILE, true).scan(loaded, copies, work, done -> { });
                long cpuNanos = PROCESS.getProcessCpuTime() - cpuBefore;
                long peakHeap = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                runs.add(run(threads, last, cpuNanos, peakHeap));
            }
            Double ratio = runs.size() < 2 ? null : runs.getLast().linesPerSecond() / runs.getFirst().linesPerSecond();
            Figures figures = new Figures(loaded.size(), last.filesScanned(), last.linesScanned(), sources.size(),
                    TreeSitterParser.runtimeLibrary(), Runtime.getRuntime().maxMemory() / (1024 * 1024), runs, ratio);
            json.print(figures, text(figures, ruleSet, loadNanos, last));
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Copies of the sources, round after round, until there are --files of them or they hold --lines lines. */
    private List<Path> copies(List<Path> sources, Path work) throws IOException {
        List<Path> copies = new ArrayList<>();
        long copiedLines = 0;
        for (int i = 0; lines != null ? copiedLines < lines : copies.size() < files; i++) {
            Path source = sources.get(i % sources.size());
            Path copy = work.resolve(String.valueOf(i / sources.size())).resolve(i + "-" + source.getFileName());
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy);
            copies.add(copy);
            if (lines != null) {
                copiedLines += lineCount(copy);
            }
        }
        return copies;
    }

    private static long lineCount(Path file) {
        try (Stream<String> text = Files.lines(file)) {
            return text.count();
        } catch (IOException | UncheckedIOException e) {
            return 0; // undecodable text: the scan reads it with replacement characters and counts it then
        }
    }

    private static Run run(int threads, ScanResult result, long cpuNanos, long peakHeap) {
        double seconds = result.elapsedNanos() / 1e9;
        double cpuSeconds = cpuNanos / 1e9;
        StageNanos stages = result.stages();
        return new Run(threads, seconds, result.filesScanned() / seconds, result.linesScanned() / seconds, cpuSeconds,
                result.linesScanned() / cpuSeconds, result.findings().size(), result.problems().size(), peakHeap / (1024 * 1024), stages.read() / 1e9,
                stages.prefilter() / 1e9, stages.parse() / 1e9, stages.match() / 1e9);
    }

    private static String text(Figures figures, RuleSet ruleSet, long loadNanos, ScanResult last) {
        StringBuilder out = new StringBuilder();
        out.append("rules: %d loaded (%d skipped) in %.2f s%n".formatted(figures.rules(), ruleSet.problems().size(), loadNanos / 1e9));
        out.append("input: %d files, %d lines (from %d distinct files)%n".formatted(figures.files(), figures.lines(), figures.distinctFiles()));
        out.append("parser runtime: %s; max heap %d MiB%n".formatted(figures.parserRuntime(), figures.maxHeapMib()));
        for (Run run : figures.runs()) {
            out.append("threads %d: %.2f s, %.0f files/s, %.0f lines/s; CPU %.2f s, %.0f lines per CPU-second; findings %d, problems %d, peak heap %d MiB%n"
                    .formatted(run.threads(), run.seconds(), run.filesPerSecond(), run.linesPerSecond(), run.cpuSeconds(),
                            run.linesPerCpuSecond(), run.findings(), run.problems(), run.peakHeapMib()));
            out.append("  stages, summed over threads: read %.2f s, prefilter %.2f s, parse %.2f s, match %.2f s%n".formatted(
                    run.readSeconds(), run.prefilterSeconds(), run.parseSeconds(), run.matchSeconds()));
        }
        if (figures.throughputRatio() != null) {
            out.append("throughput with %d threads / with %d: %.2f%n".formatted(figures.runs().getLast().threads(),
                    figures.runs().getFirst().threads(), figures.throughputRatio()));
        }
        out.append("slowest rules (last run, summed over files and threads):%n".formatted());
        for (Map.Entry<String, Long> rule : last.slowestRules(5)) {
            out.append("  %8.2f s  %s%n".formatted(rule.getValue() / 1e9, rule.getKey()));
        }
        return out.toString();
    }
}

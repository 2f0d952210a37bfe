package dev.freshet.updates.gate;

import dev.freshet.updates.sources.FetchResult;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Times the validation gate on a directory of rules (by hand, not a unit test). Example:
 * {@code java -cp ... dev.freshet.updates.gate.RuleGateBenchmark ../shared/corpus/semgrep-rules [threads] [clean-corpus or -] [verbose]}.
 * The rules' own test files double as the reference corpus.
 */
public final class RuleGateBenchmark {
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws Exception {
        Path rules = Path.of(args.length > 0 ? args[0] : "../shared/corpus/semgrep-rules");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Optional<Path> clean = args.length > 2 && !args[2].equals("-") ? Optional.of(Path.of(args[2])) : Optional.empty();
        if (!Files.isDirectory(rules)) {
            System.err.println("no rules directory at " + rules + "; pass one as the first argument");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        FetchResult fetched = new SourceFetchers(Files.createTempDirectory("bench-git"))
                .fetcherFor(new LocalDirectorySource("bench", rules, SourceSettings.defaults())).fetch(Optional.empty());
        long t1 = System.nanoTime();
        GatePolicy compileAndTests = GatePolicy.defaults("1.100.0").withThreads(threads);
        GatePolicy withCorpora = compileAndTests.withReferenceCorpus(rules, Duration.ofSeconds(2));
        if (clean.isPresent()) {
            withCorpora = withCorpora.withCleanCorpus(clean.get(), 0);
        }
        GateResult result = null;
        for (int run = 1; run <= 3; run++) {
            for (GatePolicy policy : List.of(compileAndTests, withCorpora)) {
                long start = System.nanoTime();
                long cpuStart = cpu();
                result = new ValidationGate(policy).validate(List.of(new SnapshotWithPolicy(((FetchResult.Changed) fetched).snapshot(), 0, false)));
                System.out.printf("run %d: gate %d ms (process CPU %d ms) for %d candidate rules on %d threads (%s)%n", run,
                        (System.nanoTime() - start) / 1_000_000, (cpu() - cpuStart) / 1_000_000, result.report().verdicts().size(), threads, policy == compileAndTests ? "compile + own tests"
                                : "compile + own tests + time budget on the rules' test files" + (clean.isPresent() ? " + clean corpus" : ""));
            }
        }
        System.out.printf("fetch (local directory, %d files): %d ms%n", ((FetchResult.Changed) fetched).snapshot().files().size(),
                (t1 - t0) / 1_000_000);
        Map<Verdict.Outcome, Long> outcomes = result.report().verdicts().stream()
                .collect(Collectors.groupingBy(Verdict::outcome, TreeMap::new, Collectors.counting()));
        System.out.println("outcomes: " + outcomes);
        Map<String, Long> reasons = result.report().verdicts().stream().filter(v -> v.outcome() != Verdict.Outcome.ACCEPTED)
                .map(v -> v.reason().replaceAll("[:(].*", "")).collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        reasons.forEach((reason, count) -> System.out.printf("%5d  %s%n", count, reason));
        java.util.regex.Pattern took = java.util.regex.Pattern.compile("([\\d.]+) ms on the reference corpus");
        result.report().verdicts().stream().filter(v -> took.matcher(v.reason()).find())
                .sorted(java.util.Comparator.comparingDouble((Verdict v) -> {
                    java.util.regex.Matcher m = took.matcher(v.reason());
                    m.find();
                    return -Double.parseDouble(m.group(1));
                })).limit(5).forEach(v -> System.out.println("slow: " + v.ruleId() + ": " + v.reason()));
        if (args.length > 3) {
            result.report().verdicts().stream().filter(v -> v.outcome() != Verdict.Outcome.ACCEPTED)
                    .forEach(v -> System.out.println(v.outcome() + " " + v.ruleId() + " " + v.path() + ": " + v.reason()));
        }
    }
}

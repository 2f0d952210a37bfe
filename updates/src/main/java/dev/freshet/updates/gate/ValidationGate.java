package dev.freshet.updates.gate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.management.ThreadMXBean;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.knowledge.RuleCompiler.RuleDocument;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleReader;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.rules.YamlInput;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestRunner;
import dev.freshet.updates.gate.RuleDocuments.Document;
import dev.freshet.updates.gate.Verdict.Outcome;
import dev.freshet.updates.sources.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, rule by rule, what of an update may become part of a release. A candidate rule must be
 * compatible with this engine ({@code min-version}/{@code max-version}, else SKIPPED), load and
 * compile without problems, pass its own tests when it ships them (or when its source requires
 * them), stay within the time budget on the reference corpus and under the noise limit on the
 * clean corpus (else REJECTED). Among accepted rules with the same id, the higher-priority source's
 * rule is kept and the others are SKIPPED. Rules are checked in parallel; the result's order is the
 * input order (sources as given, files by path, rules as written), whatever the timing.
 */
public final class ValidationGate {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationGate.class);
    /** HotSpot's thread bean, which also counts each thread's allocations. */
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Matching recurses along long statement lists, as in the scanner. */
    private static final long STACK_BYTES = 64L * 1024 * 1024;
    /** Memory one rule may allocate while it is read and compiled; real rules take a few MB. */
    static final long MAX_COMPILE_BYTES = 512L * 1024 * 1024;
    /** Compiled documents a gate keeps when it has no shared compiler: one large update's worth. */
    private static final int OWN_COMPILER_CACHE = 20_000;

    private final GatePolicy policy;
    /**
     * Verdicts by everything they depend on besides the policy (rule text, its tests, where it came
     * from): a rule unchanged since the last run of this gate is not checked again. Advisory
     * releases change a few rules among thousands; this keeps them quick.
     */
    private final Cache<String, Verdict> remembered = Caffeine.newBuilder().maximumSize(200_000).build();
    private final Version engineVersion;
    private final SourceParser parser;
    private final RuleCompiler compiler;

    public ValidationGate(GatePolicy policy) {
        this(new TreeSitterParser(), policy);
    }

    public ValidationGate(SourceParser parser, GatePolicy policy) {
        this(new RuleCompiler(new RuleLoader(new PatternCompiler(parser)), OWN_COMPILER_CACHE), parser, policy);
    }

    /**
     * A gate that compiles candidates with {@code compiler}: given the compiler the running
     * knowledge uses, a rule the gate accepts is not compiled again when its release is activated.
     */
    public ValidationGate(RuleCompiler compiler, SourceParser parser, GatePolicy policy) {
        this.policy = policy;
        this.engineVersion = Version.parse(policy.engineVersion()).orElseThrow();
        this.parser = parser;
        this.compiler = compiler;
    }

    /** What one gate run uses; pattern trees are remembered for the run only. */
    private record Run(Path work, RuleLoader loader, RuleTestRunner testRunner, Optional<Corpus> reference,
                       Optional<Corpus> clean) {
    }

    /** A rule of a snapshot to check, or a rule file that could not even be split into rules. */
    private record Candidate(int index, SnapshotWithPolicy input, String path, Document document, List<SourceFile> tests,
                             String fileProblem, int problemLine) {
        String source() {
            return input.snapshot().source();
        }

        String ruleId() {
            return document != null ? document.id() : "(file)";
        }
    }

    /**
     * @throws IOException when a corpus or the temporary directory cannot be used; rules' own
     *                     problems never throw, they become verdicts
     */
    public GateResult validate(List<SnapshotWithPolicy> inputs) throws IOException {
        long started = System.nanoTime();
        Candidates read = candidates(inputs);
        List<Candidate> candidates = read.list();
        Path work = Files.createTempDirectory("freshet-gate-");
        ExecutorService pool = deepStackPool(policy.threads());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
        try {
            RuleLoader loader = new RuleLoader(new PatternCompiler(new MemoizingParser(parser)));
            // One file at a time per rule: the gate already runs one rule per thread.
            RuleTestRunner testRunner = new RuleTestRunner(loader,
                    new Scanner(parser, new Scanner.Options(Duration.ofSeconds(10), 1, false)));
            Run run = new Run(work, loader, testRunner, loadCorpus("reference", policy.referenceCorpus(), pool),
                    loadCorpus("clean", policy.cleanCorpus(), pool));
            List<CompletableFuture<Verdict>> checks = new ArrayList<>();
            for (Candidate candidate : candidates) {
                String key = memoKey(candidate);
                Verdict known = key == null ? null : remembered.getIfPresent(key);
                checks.add(known != null ? CompletableFuture.completedFuture(known) : budgeted(candidate, run, key, pool, watchdog));
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (CompletableFuture<Verdict> check : checks) {
                verdicts.add(join(check));
            }
            GateResult result = resolveDuplicates(candidates, verdicts, read.failedSources());
            LOG.info("gate: {} candidate rules from {} sources: {} accepted, {} rejected, {} skipped in {} ms{}",
                    candidates.size(), inputs.size(), result.accepted().size(), count(verdicts, Outcome.REJECTED),
                    count(verdicts, Outcome.SKIPPED), (System.nanoTime() - started) / 1_000_000,
                    read.failedSources().isEmpty() ? "" : "; refused sources: " + read.failedSources());
            return result;
        } finally {
            watchdog.shutdownNow();
            pool.shutdownNow();
            deleteTree(work);
        }
    }

    /**
     * Checks one candidate on the pool within the time limit for one rule: past it, the rule is
     * rejected and the gate goes on without waiting for the check (which cannot be stopped from
     * outside; the pattern size limits keep such checks rare).
     */
    private CompletableFuture<Verdict> budgeted(Candidate candidate, Run run, String key, ExecutorService pool,
                                                ScheduledExecutorService watchdog) {
        CompletableFuture<Verdict> result = new CompletableFuture<>();
        Duration limit = checkLimit();
        pool.execute(() -> {
            ScheduledFuture<?> timeout = watchdog.schedule(() -> result.complete(verdict(candidate, Outcome.REJECTED,
                    "over the gate's limit of " + limit.toSeconds() + " s for checking one rule")), limit.toMillis(), TimeUnit.MILLISECONDS);
            try {
                Verdict verdict = check(candidate, run);
                if (key != null) {
                    remembered.put(key, verdict);
                }
                result.complete(verdict);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            } finally {
                timeout.cancel(false);
            }
        });
        return result;
    }

    /** Wall time for all of one rule's checks: loading, its own tests and both corpora. */
    private Duration checkLimit() {
        return policy.timeBudgetPerRule().multipliedBy(8).plusSeconds(30);
    }

    /** What a candidate's verdict depends on, hashed; null for a file that could not be split into rules. */
    private static String memoKey(Candidate candidate) {
        if (candidate.document() == null) {
            return null;
        }
        MessageDigest digest = Sha256.digest();
        for (String part : List.of(candidate.source(), candidate.path(), String.valueOf(candidate.input().testsRequired()),
                candidate.document().yaml())) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        for (SourceFile test : candidate.tests()) {
            digest.update(test.path().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(test.content());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Optional<Corpus> loadCorpus(String role, Optional<Path> dir, ExecutorService pool) throws IOException {
        return dir.isEmpty() ? Optional.empty() : Optional.of(Corpus.load(role, dir.get(), parser, pool));
    }

    /** The candidates of every input, and the inputs that could not be read at all. */
    private record Candidates(List<Candidate> list, List<GateReport.SourceFailure> failedSources) {
    }

    /**
     * Every rule of every rule file, in a stable order, with the test files beside its file. A
     * snapshot the reader refuses as a whole (over its limits, or one that breaks it) is replaced
     * by its fallback, the source's rules in the active release, and reported.
     */
    private static Candidates candidates(List<SnapshotWithPolicy> inputs) {
        List<Candidate> candidates = new ArrayList<>();
        List<GateReport.SourceFailure> failures = new ArrayList<>();
        for (SnapshotWithPolicy input : inputs) {
            try {
                candidates.addAll(candidates(input, candidates.size()));
            } catch (SourceRefused e) {
                LOG.warn("gate: source {} refused: {}; checking its {} rule file(s) of the active release instead",
                        input.snapshot().source(), e.getMessage(), input.fallback().map(f -> f.files().size()).orElse(0));
                List<Candidate> kept = List.of();
                if (input.fallback().isPresent()) {
                    try {
                        kept = candidates(input.fallingBack(), candidates.size());
                    } catch (SourceRefused again) {
                        LOG.warn("gate: the active release's rules of source {} are refused too: {}", input.snapshot().source(),
                                again.getMessage());
                    }
                }
                candidates.addAll(kept);
                failures.add(new GateReport.SourceFailure(input.snapshot().source(), e.getMessage(), kept.size()));
            }
        }
        return new Candidates(candidates, failures);
    }

    /** A snapshot refused as a whole; the message names the file and says why. */
    private static final class SourceRefused extends Exception {
        SourceRefused(String message) {
            super(message);
        }
    }

    private static List<Candidate> candidates(SnapshotWithPolicy input, int firstIndex) throws SourceRefused {
        List<Candidate> candidates = new ArrayList<>();
        Map<String, List<SourceFile>> testsByBase = new LinkedHashMap<>();
        List<SourceFile> files = input.snapshot().files().stream().sorted(Comparator.comparing(SourceFile::path)).toList();
        for (SourceFile file : files) {
            if (!isRuleFile(file.path())) {
                testsByBase.computeIfAbsent(stripExtension(file.path()), k -> new ArrayList<>()).add(file);
            }
        }
        for (SourceFile file : files) {
            if (!isRuleFile(file.path())) {
                continue;
            }
            List<SourceFile> tests = testsByBase.getOrDefault(stripExtension(file.path()), List.of());
            int index = firstIndex + candidates.size();
            try {
                for (Document document : RuleDocuments.split(new String(file.content(), StandardCharsets.UTF_8))) {
                    candidates.add(new Candidate(firstIndex + candidates.size(), input, file.path(), document, tests, null, 0));
                }
            } catch (RuleDocuments.NotARuleFile e) {
                candidates.add(new Candidate(index, input, file.path(), null, List.of(), e.getMessage(), e.line));
            } catch (YamlInput.LimitExceeded e) {
                throw new SourceRefused(file.path() + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
            } catch (StackOverflowError | OutOfMemoryError e) {
                // Hostile input beyond what the limits foresaw; the gate and the other sources go on.
                throw new SourceRefused(file.path() + ": reading it failed (" + e + ")");
            }
        }
        return candidates;
    }

    private Verdict check(Candidate candidate, Run run) {
        if (candidate.fileProblem() != null) {
            return verdict(candidate, Outcome.REJECTED, candidate.fileProblem(), candidate.problemLine());
        }
        try {
            // Read once: the versions decide compatibility, the definitions are then compiled.
            RuleReader.RuleFile read = RuleReader.read(Path.of(candidate.source() + "/" + candidate.path()), candidate.document().yaml());
            switch (compatibility(read.rules())) {
                case Compatibility.Compatible c -> {
                }
                case Compatibility.OtherEngine other -> {
                    return verdict(candidate, Outcome.SKIPPED, other.reason());
                }
                case Compatibility.Unreadable unreadable -> {
                    return verdict(candidate, Outcome.REJECTED, unreadable.reason());
                }
            }
            long allocatedBefore = allocatedBytes();
            // Named as the release names it, so the compiled rule is the one the release will use.
            RuleSet loaded = compiler.compile(new RuleDocument(candidate.document().sha256(),
                    candidate.source() + "/" + candidate.path(), candidate.document().yaml()), read);
            long allocated = allocatedBytes() - allocatedBefore;
            if (!loaded.problems().isEmpty()) {
                RuleProblem problem = loaded.problems().get(0);
                return verdict(candidate, Outcome.REJECTED, problem.describe(),
                        lineInSourceFile(candidate, run.loader()).orElse(0));
            }
            if (allocated > MAX_COMPILE_BYTES) {
                return verdict(candidate, Outcome.REJECTED, "compiling it took " + allocated / (1024 * 1024)
                        + " MB of memory, over the gate's budget of " + MAX_COMPILE_BYTES / (1024 * 1024) + " MB for one rule");
            }
            Rule rule = loaded.rules().get(0);
            List<String> passed = new ArrayList<>();
            Optional<String> testFailure = ownTests(candidate, rule, run, passed);
            if (testFailure.isPresent()) {
                return verdict(candidate, Outcome.REJECTED, testFailure.get());
            }
            Optional<String> corpusFailure = corpusChecks(rule, run.reference(), run.clean(), passed);
            return corpusFailure.map(reason -> verdict(candidate, Outcome.REJECTED, reason))
                    .orElseGet(() -> verdict(candidate, Outcome.ACCEPTED, String.join("; ", passed)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A rule that breaks the engine is that rule's problem, not the update's.
            LOG.warn("gate: rule {} from source {} ({}) failed", candidate.ruleId(), candidate.source(), candidate.path(), e);
            return verdict(candidate, Outcome.REJECTED, "failed in the engine: " + e);
        }
    }

    /**
     * Where the loader finds the rule's problem in the file as the source has it (the rule was
     * checked in its re-written form, whose lines differ): the file is read again, only for rules
     * that failed to load.
     */
    private static Optional<Integer> lineInSourceFile(Candidate candidate, RuleLoader loader) {
        return candidate.input().snapshot().files().stream().filter(f -> f.path().equals(candidate.path())).findFirst()
                .flatMap(file -> loader.parse(Path.of(file.path()), new String(file.content(), StandardCharsets.UTF_8)).problems().stream()
                        .filter(p -> candidate.ruleId().equals(p.ruleId())).map(RuleProblem::line).findFirst());
    }

    /** Whether this engine may run a rule, by its {@code min-version}/{@code max-version}. */
    private sealed interface Compatibility {
        record Compatible() implements Compatibility {
        }

        /** Written for another engine version: skipped, not the rule's fault. */
        record OtherEngine(String reason) implements Compatibility {
        }

        /** A version the gate cannot read: the rule is wrong. */
        record Unreadable(String reason) implements Compatibility {
        }
    }

    /** Decided on the rule's typed definition; a rule without one (no id) is left to the loader to reject. */
    private Compatibility compatibility(List<RuleDefinition> definitions) {
        if (definitions.isEmpty()) {
            return new Compatibility.Compatible();
        }
        RuleDefinition rule = definitions.get(0);
        for (boolean minimum : new boolean[] {true, false}) {
            Optional<String> value = minimum ? rule.minVersion() : rule.maxVersion();
            if (value.isEmpty()) {
                continue;
            }
            String key = minimum ? "min-version" : "max-version";
            Optional<Version> version = Version.parse(value.get());
            if (version.isEmpty()) {
                return new Compatibility.Unreadable(key + " '" + value.get() + "' is not a dotted version such as 1.2.0");
            }
            int comparison = engineVersion.compareTo(version.get());
            if (minimum ? comparison < 0 : comparison > 0) {
                return new Compatibility.OtherEngine("needs engine " + (minimum ? ">= " : "<= ") + version.get());
            }
        }
        return new Compatibility.Compatible();
    }

    /**
     * Runs the rule on its test files (those for its languages) with the engine's test runner, in a
     * directory of its own. Empty when the tests pass or there are none and none are required.
     */
    private Optional<String> ownTests(Candidate candidate, Rule rule, Run run, List<String> passed) throws IOException {
        List<SourceFile> tests = candidate.tests().stream()
                .filter(t -> rule.appliesToFile(Path.of(t.path()))).toList();
        if (tests.isEmpty()) {
            if (candidate.input().testsRequired()) {
                return Optional.of("no test file for its languages beside " + candidate.path()
                        + " (source '" + candidate.source() + "' requires tests)");
            }
            passed.add("no tests");
            return Optional.empty();
        }
        // Only the file names' last parts are used, so hostile paths cannot write outside the directory.
        Path dir = Files.createDirectory(run.work().resolve(Integer.toString(candidate.index())));
        String base = safeName(stripExtension(fileName(candidate.path())));
        Path ruleFile = Files.writeString(dir.resolve(base + ".yaml"), candidate.document().yaml());
        for (SourceFile test : tests) {
            Files.write(dir.resolve(base + "." + safeName(extension(test.path()))), test.content());
        }
        List<RuleTestResult> results = run.testRunner().run(ruleFile, result -> { });
        for (RuleTestResult result : results) {
            if (result.status() != RuleTestResult.Status.PASSED) {
                return Optional.of(switch (result.status()) {
                    case FAILED -> "own tests failed: " + result.reason();
                    case UNSUPPORTED -> "unsupported: " + result.reason();
                    default -> "own tests could not run: " + result.reason();
                });
            }
        }
        passed.add("own tests passed (" + tests.size() + " file" + (tests.size() == 1 ? "" : "s") + ")");
        return Optional.empty();
    }

    /** The time budget on the reference corpus and the noise limit on the clean corpus. */
    private Optional<String> corpusChecks(Rule rule, Optional<Corpus> reference, Optional<Corpus> clean, List<String> passed) {
        long budget = policy.timeBudgetPerRule().toNanos();
        // A hard stop well past the budget, so a runaway rule cannot hold the gate up.
        Duration hardStop = policy.timeBudgetPerRule().multipliedBy(4).plusSeconds(1);
        if (reference.isPresent()) {
            long cpuStart = cpuNanos();
            long wallStart = System.nanoTime();
            try {
                reference.get().findings(rule, parser, Deadline.in(hardStop));
            } catch (Deadline.Exceeded e) {
                return Optional.of("too slow: stopped after " + millis(System.nanoTime() - wallStart) + " on the reference corpus ("
                        + files(reference.get()) + "; budget " + millis(budget) + ")");
            }
            long took = cpuNanos() - cpuStart;
            if (took > budget) {
                return Optional.of("too slow: " + millis(took) + " on the reference corpus (" + files(reference.get())
                        + "; budget " + millis(budget) + ")");
            }
            passed.add(millis(took) + " on the reference corpus");
        }
        // A dependency rule's code matches are calls of a vulnerable function: evidence of reachability, not noise.
        if (clean.isPresent() && !rule.isDependencyRule()) {
            int findings;
            try {
                findings = clean.get().findings(rule, parser, Deadline.in(hardStop));
            } catch (Deadline.Exceeded e) {
                return Optional.of("too slow: stopped after " + millis(hardStop.toNanos()) + " on the clean corpus");
            }
            if (findings > policy.noiseLimit()) {
                return Optional.of("too noisy: " + findings + " findings on the clean corpus (" + files(clean.get())
                        + "; limit " + policy.noiseLimit() + ")");
            }
            passed.add(findings + " findings on the clean corpus");
        }
        return Optional.empty();
    }

    /**
     * Among accepted rules sharing an id, keeps the one from the highest-priority source (ties: the
     * first by source name, then path) and turns the others' verdicts, in place, into SKIPPED.
     */
    private static GateResult resolveDuplicates(List<Candidate> candidates, List<Verdict> verdicts,
                                                List<GateReport.SourceFailure> failedSources) {
        Map<String, List<Candidate>> acceptedById = new LinkedHashMap<>();
        for (Candidate candidate : candidates) {
            if (verdicts.get(candidate.index()).outcome() == Outcome.ACCEPTED) {
                acceptedById.computeIfAbsent(candidate.ruleId(), k -> new ArrayList<>()).add(candidate);
            }
        }
        Comparator<Candidate> preference = Comparator.comparingInt((Candidate c) -> -c.input().priority())
                .thenComparing(Candidate::source).thenComparing(Candidate::path).thenComparingInt(Candidate::index);
        for (List<Candidate> same : acceptedById.values()) {
            Candidate kept = same.stream().min(preference).orElseThrow();
            for (Candidate other : same) {
                if (other != kept) {
                    String why = kept.input().priority() > other.input().priority() ? "higher priority"
                            : kept.source().equals(other.source()) ? "same source, kept " + kept.path() + ", the first by path"
                            : "same priority, kept by source name";
                    verdicts.set(other.index(), verdict(other, Outcome.SKIPPED,
                            "duplicate of " + kept.ruleId() + " from " + kept.source() + " (" + why + ")"));
                }
            }
        }
        List<AcceptedRule> accepted = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (verdicts.get(candidate.index()).outcome() == Outcome.ACCEPTED) {
                accepted.add(new AcceptedRule(candidate.ruleId(), candidate.source(), candidate.path(),
                        candidate.document().yaml(), candidate.document().sha256()));
            }
        }
        return new GateResult(accepted, new GateReport(verdicts, failedSources));
    }

    private static Verdict verdict(Candidate candidate, Outcome outcome, String reason) {
        return verdict(candidate, outcome, reason, 0);
    }

    private static Verdict verdict(Candidate candidate, Outcome outcome, String reason, int line) {
        if (outcome == Outcome.REJECTED) {
            LOG.debug("gate: rejected rule {} from source {} ({}): {}", candidate.ruleId(), candidate.source(), candidate.path(), reason);
        }
        return new Verdict(candidate.ruleId(), candidate.source(), candidate.path(), outcome, reason, line);
    }

    private static long count(List<Verdict> verdicts, Outcome outcome) {
        return verdicts.stream().filter(v -> v.outcome() == outcome).count();
    }

    private static Verdict join(CompletableFuture<Verdict> check) throws IOException {
        try {
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while validating rules", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("validation failed: " + e.getCause(), e.getCause());
        }
    }

    private static ExecutorService deepStackPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(null, task, "freshet-gate-" + count.incrementAndGet(), STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Bytes this thread has allocated so far, where the JVM counts them, else 0. */
    private static long allocatedBytes() {
        return THREADS.isThreadAllocatedMemoryEnabled() ? THREADS.getCurrentThreadAllocatedBytes() : 0;
    }

    /** CPU time of this thread where the JVM measures it, else wall time. */
    private static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static String files(Corpus corpus) {
        return corpus.size() + (corpus.size() == 1 ? " file" : " files");
    }

    private static String millis(long nanos) {
        return nanos >= 10_000_000 ? nanos / 1_000_000 + " ms" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static boolean isRuleFile(String path) {
        String name = fileName(path);
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains(".fixed.") && !name.contains(".test.");
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String stripExtension(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') ? path.substring(0, dot) : path;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') ? path.substring(dot + 1) : "";
    }

    private static String safeName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
        return safe.isEmpty() ? "rule" : safe;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("gate: could not delete temporary directory {}: {}", dir, e.toString());
        }
    }
}

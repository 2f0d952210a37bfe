package dev.freshet.engine.scan;

import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxTree;
import dev.freshet.engine.pattern.Captured;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.Matcher;
import dev.freshet.engine.rules.FormulaEvaluator;
import dev.freshet.engine.rules.Prefilter;
import dev.freshet.engine.rules.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * Runs rules over files: each file is read and parsed once for all the rules of its language (generic
 * and regex rules read any file, as text), after a cheap word check has ruled out the rules that cannot
 * match it. Files are scanned in parallel;
 * one slow or broken file costs only its own findings.
 */
public final class Scanner {
    private static final int MAX_CODE_CHARS = 2000;
    static final Pattern METAVARIABLE_REFERENCE = Pattern.compile("\\$(\\.\\.\\.)?[A-Z_][A-Z0-9_]*|\\$[0-9]+");

    private final SourceParser parser;
    private final Options options;
    private final FindingCache cache;

    /**
     * @param timeoutPerFile how long matching may take on one file before it is given up
     * @param threads how many files are scanned at once
     * @param applyPathFilters whether rules' {@code paths:} apply (rule tests ignore them)
     */
    public record Options(Duration timeoutPerFile, int threads, boolean applyPathFilters) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors(), true);
        }
    }

    public Scanner(SourceParser parser, Options options) {
        this(parser, options, null);
    }

    /** A scanner that reuses, and keeps, what each rule found in each file's content ({@code cache}, or none when null). */
    public Scanner(SourceParser parser, Options options, FindingCache cache) {
        this.parser = parser;
        this.options = options;
        this.cache = cache;
    }

    /** This scanner keeping what each rule found in each file's content in {@code cache}. */
    public Scanner caching(FindingCache cache) {
        return new Scanner(parser, options, cache);
    }

    /** This scanner without its finding cache: every rule runs on every file, as a measurement needs. */
    public Scanner uncached() {
        return cache == null ? this : new Scanner(parser, options, null);
    }

    /**
     * Scans the files. Paths in findings are as given; {@code baseDir} makes them relative for
     * rules' path filters. {@code progress} hears the number of files done so far.
     */
    public ScanResult scan(List<Rule> rules, List<Path> files, Path baseDir, IntConsumer progress) {
        return scan(rules, files, baseDir, progress, Integer.MAX_VALUE);
    }

    /**
     * Scans the files, keeping at most {@code maxFindings} findings: once they are found the scan stops
     * (files not yet scanned are left out) and the result carries a {@link ScanProblem.Kind#TRUNCATED}
     * problem saying so. Memory stays bounded however many matches the rules would make.
     */
    public ScanResult scan(List<Rule> rules, List<Path> files, Path baseDir, IntConsumer progress, int maxFindings) {
        if (maxFindings < 1) {
            throw new IllegalArgumentException("the limit of findings must be at least 1: " + maxFindings);
        }
        long started = System.nanoTime();
        FindingBudget budget = new FindingBudget(maxFindings);
        List<Finding> findings = new ArrayList<>();
        List<ScanProblem> problems = new ArrayList<>();
        long lines = 0;
        Map<String, Long> ruleNanos = new HashMap<>();
        StageNanos stages = StageNanos.NONE;
        AtomicInteger done = new AtomicInteger();
        Map<Language, List<Rule>> rulesByLanguage = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            rulesByLanguage.put(language, rules.stream().filter(r -> r.appliesTo(language)).toList());
        }
        // Each file's path relative to the base is worked out only when a rule filters by path.
        Path filterBase = rules.stream().allMatch(rule -> rule.paths().acceptsAll()) ? null : baseDir;
        Prefilter.Vocabulary vocabulary = new Prefilter.Vocabulary(
                rules.stream().flatMap(rule -> rule.prefilters().values().stream()).toList());
        // Platform threads with deep stacks: matching recurses along long statement lists.
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, options.threads()),
                r -> {
                    Thread thread = new Thread(null, r, "freshet-scan-" + threadCount.incrementAndGet(), 64L * 1024 * 1024);
                    thread.setDaemon(true);
                    return thread;
                });
        try {
            // Submitted largest first, so that no thread is left with a big file after the others have
            // run out of work; results are still taken in the order of the files.
            List<Future<FileResult>> futures = new ArrayList<>(Collections.nCopies(files.size(), null));
            for (int i : largestFirst(files)) {
                Path file = files.get(i);
                futures.set(i, pool.submit(() -> {
                    FileResult result = budget.spent() ? FileResult.NOTHING : scanFileSafely(rulesByLanguage, vocabulary, file, filterBase, budget);
                    progress.accept(done.incrementAndGet());
                    return result;
                }));
            }
            // Each file's result is folded in as soon as it is taken, so that only findings outlive
            // their file and memory grows with the files in flight, not with the corpus.
            for (int i = 0; i < futures.size(); i++) {
                FileResult result = futures.get(i).get();
                futures.set(i, null);
                findings.addAll(result.findings);
                problems.addAll(result.problems);
                lines += result.lines;
                result.ruleNanos.forEach((rule, nanos) -> ruleNanos.merge(rule, nanos, Long::sum));
                stages = stages.plus(result.stages);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scan failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        findings.sort(Comparator.comparing((Finding f) -> f.file().toString()).thenComparingInt(Finding::startLine)
                .thenComparingInt(Finding::startColumn).thenComparing(Finding::ruleId));
        if (budget.spent()) {
            problems.add(new ScanProblem(null, ScanProblem.Kind.TRUNCATED, "truncated after " + maxFindings
                    + " findings: the scan stopped at its limit of findings, so later files and matches are not reported"));
        }
        return new ScanResult(findings, problems, files.size(), lines, System.nanoTime() - started, List.of(), ruleNanos, stages);
    }

    /**
     * The files' positions, largest file first, files of one size in their listed order (a file that
     * cannot be read counts as empty: its scan says why). A sort of primitive keys: this runs before any
     * file is scanned, where a comparator chain's lambdas would first have to be spun.
     */
    private static int[] largestFirst(List<Path> files) {
        long[] keys = new long[files.size()];
        for (int i = 0; i < keys.length; i++) {
            long size;
            try {
                size = Math.min(Files.size(files.get(i)), Integer.MAX_VALUE);
            } catch (IOException e) {
                size = 0;
            }
            keys[i] = size << 32 | (Integer.MAX_VALUE - i);
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = Integer.MAX_VALUE - (int) keys[keys.length - 1 - i];
        }
        return order;
    }

    private record FileResult(List<Finding> findings, List<ScanProblem> problems, long lines, Map<String, Long> ruleNanos,
                              StageNanos stages) {
        static final FileResult NOTHING = new FileResult(List.of(), List.of(), 0);

        FileResult(List<Finding> findings, List<ScanProblem> problems, long lines) {
            this(findings, problems, lines, Map.of(), StageNanos.NONE);
        }
    }

    /** How many more findings a scan may keep; shared by the threads of one scan. */
    private static final class FindingBudget {
        private final AtomicInteger left;
        private volatile boolean spent;

        FindingBudget(int max) {
            left = new AtomicInteger(max);
        }

        /** Takes one finding's place; false (and spent from then on) when none is left. */
        boolean take() {
            if (left.getAndDecrement() > 0) {
                return true;
            }
            spent = true;
            return false;
        }

        boolean spent() {
            return spent;
        }
    }

    /** Whatever goes wrong in one file stays a problem of that file. */
    private FileResult scanFileSafely(Map<Language, List<Rule>> rulesByLanguage, Prefilter.Vocabulary vocabulary, Path file,
                                      Path filterBase, FindingBudget budget) {
        try {
            return scanFile(rulesByLanguage, vocabulary, file, filterBase, budget);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // The logger is looked up here, on this rare path: setting up logging costs a clean scan 20 ms.
            org.slf4j.LoggerFactory.getLogger(Scanner.class).warn("scan of {} failed", file, e);
            return new FileResult(List.of(), List.of(new ScanProblem(file, ScanProblem.Kind.RULE_ERROR,
                    "could not scan this file: " + e)), 0);
        }
    }

    /** @param filterBase what rules' path filters see paths relative to; null when no rule filters by path */
    private FileResult scanFile(Map<Language, List<Rule>> rulesByLanguage, Prefilter.Vocabulary vocabulary, Path file,
                                Path filterBase, FindingBudget budget) {
        Path relative = filterBase != null && file.toAbsolutePath().startsWith(filterBase.toAbsolutePath())
                ? filterBase.toAbsolutePath().relativize(file.toAbsolutePath()) : file;
        // A file is read for the rules of its own (parsed) language, known by its extension, and for the
        // generic and regex rules, which read any text file; a file no rule could apply to is not read.
        List<Language> languages = new ArrayList<>();
        Language.forFile(file).ifPresent(languages::add);
        for (Language text : Language.TEXT) {
            for (Rule rule : rulesByLanguage.get(text)) {
                if (appliesTo(rule, relative)) {
                    languages.add(text);
                    break;
                }
            }
        }
        if (languages.isEmpty()) {
            return new FileResult(List.of(), List.of(), 0);
        }
        long readStarted = System.nanoTime();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new FileResult(List.of(), List.of(new ScanProblem(file, ScanProblem.Kind.UNREADABLE, e.toString())), 0);
        }
        if (SourceFiles.isBinary(bytes)) {
            return FileResult.NOTHING; // no rule reads a binary file, as git shows no diff of one
        }
        long read = System.nanoTime() - readStarted;
        long wordsStarted = System.nanoTime();
        Prefilter.Vocabulary.Reading text = vocabulary.read(bytes);
        Set<String> words = text.words();
        long prefilter = System.nanoTime() - wordsStarted;
        String fileHash = cache == null ? null : Sha256.hex(bytes);
        String source = null; // decoded for the first parse: in most scans most files have no rule to run
        byte[] utf8 = null; // the source's UTF-8, when it is the file's bytes (set as the source is decoded)
        long lines = text.lines();
        long parse = 0;
        long match = 0;
        List<ScanProblem> problems = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        Map<String, Long> ruleNanos = new HashMap<>();
        Set<Rule> done = Collections.newSetFromMap(new IdentityHashMap<>()); // a rule naming two of the file's languages runs once
        Deadline deadline = null;
        for (Language language : languages) {
            long chooseStarted = System.nanoTime();
            List<Rule> applicable = new ArrayList<>();
            for (Rule rule : rulesByLanguage.get(language)) {
                if (appliesTo(rule, relative) && rule.prefilters().get(language).mayMatch(words) && done.add(rule)) {
                    applicable.add(rule);
                }
            }
            prefilter += System.nanoTime() - chooseStarted;
            if (applicable.isEmpty()) {
                continue;
            }
            List<Rule> toRun = fileHash == null ? applicable : reuseCached(applicable, fileHash, file, budget, findings);
            if (toRun == null) {
                break; // the scan's findings ran out
            }
            OptionalInt knownErrors = fileHash == null ? OptionalInt.empty() : cache.parseErrors(fileHash, language);
            SyntaxTree tree = null;
            if (!toRun.isEmpty() || knownErrors.isEmpty()) {
                if (source == null) {
                    long decodeStarted = System.nanoTime();
                    // Undecodable bytes become U+FFFD rather than failing the file. ASCII is Latin-1 too,
                    // which decodes without a check of every byte.
                    source = new String(bytes, text.ascii() ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                    utf8 = sourceUtf8(bytes, source, text.ascii());
                    read += System.nanoTime() - decodeStarted;
                }
                long parseStarted = System.nanoTime();
                tree = parser.parse(language, source, utf8);
                parse += System.nanoTime() - parseStarted;
            }
            int errors = tree == null ? knownErrors.getAsInt() : tree.errorCount();
            if (fileHash != null && tree != null) {
                cache.putParseErrors(fileHash, language, errors);
            }
            if (errors > 0) {
                problems.add(new ScanProblem(file, ScanProblem.Kind.PARTIAL_PARSE,
                        errors + " part(s) of the file could not be parsed; matches there may be missed"));
            }
            if (toRun.isEmpty()) {
                continue;
            }
            if (deadline == null) {
                deadline = Deadline.in(options.timeoutPerFile());
            }
            long matchStarted = System.nanoTime();
            // An ASCII file's line starts, found by the word pass, are char indexes too.
            boolean goOn = runRules(toRun, language, file, fileHash, tree, text.ascii() ? text.lineStarts() : null,
                    deadline, budget, findings, problems, ruleNanos);
            match += System.nanoTime() - matchStarted;
            if (!goOn) {
                break;
            }
        }
        return new FileResult(findings, problems, lines, ruleNanos, new StageNanos(read, prefilter, parse, match));
    }

    /**
     * The file's bytes when they are the source's UTF-8 as they are, else null (the parser then encodes the
     * source again): ASCII, or UTF-8 that decoded without a replacement character. The decoder puts U+FFFD
     * for each malformed sequence, so without one the bytes were valid and encode back to themselves.
     */
    static byte[] sourceUtf8(byte[] bytes, String source, boolean ascii) {
        return ascii || source.indexOf('\uFFFD') < 0 ? bytes : null;
    }

    /**
     * Whether a rule's path filters let it read the file at {@code relative} to the base. Called from loops,
     * not streams: it runs for every file, and C1's code makes a capturing lambda through a call into the VM.
     */
    private boolean appliesTo(Rule rule, Path relative) {
        return !options.applyPathFilters() || rule.paths().accepts(relative);
    }

    /**
     * Adds the cached findings of the rules already run on this content; returns the rules still to
     * run, or null when the scan's findings ran out.
     */
    private List<Rule> reuseCached(List<Rule> applicable, String fileHash, Path file, FindingBudget budget, List<Finding> findings) {
        List<Rule> toRun = new ArrayList<>();
        for (Rule rule : applicable) {
            List<Finding> cached = rule.definitionHash() == null ? null : cache.findings(fileHash, rule.definitionHash(), file);
            if (cached == null) {
                toRun.add(rule);
                continue;
            }
            for (Finding finding : cached) {
                if (!budget.take()) {
                    return null;
                }
                findings.add(finding);
            }
        }
        return toRun;
    }

    /**
     * Runs the rules on the file's tree; false when the file's time or the scan's findings ran out.
     * {@code lineStarts} are the source's line starts when known, else null.
     */
    private boolean runRules(List<Rule> applicable, Language language, Path file, String fileHash, SyntaxTree tree,
                             int[] lineStarts, Deadline deadline, FindingBudget budget, List<Finding> findings,
                             List<ScanProblem> problems, Map<String, Long> ruleNanos) {
        Matcher matcher = new Matcher(tree, deadline);
        LineIndex lineIndex = null; // made for the first finding: a file without findings needs none
        FormulaEvaluator evaluator = new FormulaEvaluator(parser, deadline);
        for (int i = 0; i < applicable.size(); i++) {
            Rule rule = applicable.get(i);
            long ruleStarted = System.nanoTime();
            try {
                int problemsBefore = problems.size();
                List<Finding> found = new ArrayList<>();
                for (Match match : distinctRanges(evaluator.evaluate(rule.formulas().get(language), matcher))) {
                    if (!budget.take()) {
                        findings.addAll(found);
                        return false;
                    }
                    if (lineIndex == null) {
                        lineIndex = lineStarts != null ? new LineIndex(lineStarts) : LineIndex.of(tree.source());
                    }
                    found.add(finding(rule, file, tree, lineIndex, match, problems));
                }
                findings.addAll(found);
                // Only a rule's complete, trouble-free result on this content may stand in for running it again.
                if (fileHash != null && rule.definitionHash() != null && problems.size() == problemsBefore) {
                    cache.put(fileHash, rule.definitionHash(), found);
                }
            } catch (Deadline.Exceeded e) {
                problems.add(new ScanProblem(file, ScanProblem.Kind.TIMEOUT, "gave up after " + options.timeoutPerFile().toSeconds()
                        + " s; rules not run: " + applicable.subList(i, applicable.size()).stream().map(Rule::id).toList()));
                return false;
            } catch (RuntimeException | StackOverflowError e) {
                problems.add(new ScanProblem(file, ScanProblem.Kind.RULE_ERROR, "rule " + rule.id() + " failed: " + e, rule.id()));
            } finally {
                ruleNanos.merge(rule.id(), System.nanoTime() - ruleStarted, Long::sum);
            }
        }
        return true;
    }

    /**
     * One finding per range. A range's key is its start and end in one long, times an odd constant: a
     * bijection of longs, which spreads the keys over the set's table. Long's own hash of the bare key,
     * start ^ end, is the same for many short ranges of a file, so HashMap had to turn buckets into trees.
     */
    private static List<Match> distinctRanges(List<Match> matches) {
        Set<Long> seen = new HashSet<>();
        List<Match> out = new ArrayList<>();
        for (Match match : matches) {
            if (seen.add((((long) match.start() << 32) | match.end()) * 0x9E3779B97F4A7C15L)) {
                out.add(match);
            }
        }
        return out;
    }

    private static Finding finding(Rule rule, Path file, SyntaxTree tree, LineIndex lines, Match match, List<ScanProblem> problems) {
        String source = tree.source();
        String code = source.substring(match.start(), Math.min(match.end(), match.start() + MAX_CODE_CHARS));
        Finding.Fix fix = null;
        if (rule.autofix() != null) {
            try {
                fix = Fixes.of(rule.autofix(), match, source);
            } catch (Fixes.TooLarge | IllegalArgumentException e) {
                problems.add(new ScanProblem(file, ScanProblem.Kind.RULE_ERROR, "rule " + rule.id() + ": no fix offered at line "
                        + lines.line(match.start()) + ": " + e.getMessage(), rule.id()));
            }
        }
        return new Finding(rule.id(), rule.severity(), interpolate(rule.message(), match.bindings().asMap()), file,
                lines.line(match.start()), lines.column(match.start()), lines.line(match.end()), lines.column(match.end()),
                code, rule.metadata(), fix);
    }

    /** Replaces {@code $X} in a message with the code X captured. */
    static String interpolate(String message, Map<String, Captured> bindings) {
        java.util.regex.Matcher m = METAVARIABLE_REFERENCE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Captured captured = bindings.get(m.group());
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(captured != null ? captured.text() : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Offsets to 1-based lines and columns, by binary search over line starts. */
    private record LineIndex(int[] starts) {
        static LineIndex of(String source) {
            int[] starts = new int[16];
            int count = 1;
            for (int newline = source.indexOf('\n'); newline >= 0; newline = source.indexOf('\n', newline + 1)) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = newline + 1;
            }
            return new LineIndex(Arrays.copyOf(starts, count));
        }

        int line(int offset) {
            int at = Arrays.binarySearch(starts, offset);
            return (at >= 0 ? at : -at - 2) + 1;
        }

        int column(int offset) {
            return offset - starts[line(offset) - 1] + 1;
        }
    }

}

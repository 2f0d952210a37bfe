package dev.freshet.app;

import dev.freshet.engine.deps.Advisories;
import dev.freshet.engine.deps.AdvisoryIndex;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.fix.Edit;
import dev.freshet.engine.fix.FileFixer;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.engine.report.RuleInfo;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.DependencyScan;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.rollout.ActiveKnowledge;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet scan}: runs rules over source code and reports what they find. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scan files and directories with Semgrep-format rules.",
                "Directories are walked recursively; .gitignore files are respected."},
        footer = {"", "Exit codes: 0 no findings, 1 findings reported, 2 error (bad input or usage; nothing reported).", "",
                "Examples:", "  freshet scan src/ --rules rules/",
                "  freshet scan . --rules rules/python --format sarif --output findings.sarif",
                "  freshet scan . --advisories osv-records/ --format json",
                "  freshet scan src/ --rules rules/ --autofix --dryrun > fixes.diff"})
final class ScanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to scan.")
    List<Path> paths;

    @Option(names = {"-r", "--rules"}, paramLabel = "PATH",
            description = "Rule file or directory of rule files (repeatable). Without it: the active release, with local overrides.")
    List<Path> rules;

    @Mixin
    StoreOptions store;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or sarif (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report here instead of to standard output.")
    Path output;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files scanned at once (default: number of cores).")
    Integer jobs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time limit for matching one file; a file over it is reported and skipped (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-progress", description = "Do not show progress on the terminal.")
    boolean noProgress;

    @Option(names = "--advisories", paramLabel = "DIR",
            description = "Also report dependencies (from lockfiles under PATH) that the OSV records (JSON or YAML) under DIR cover.")
    Path advisories;

    @Option(names = "--autofix", description = "Apply the fixes of rules that offer one (fix:, fix-regex:) to the scanned files.")
    boolean autofix;

    @Option(names = "--dryrun", description = {"With --autofix: print the fixes as a unified diff on standard output and change no file.",
            "The report then goes only to --output, if given."})
    boolean dryRun;

    @Option(names = "--keep-going", description = "Scan with the good rules of --rules even when some are malformed (they are listed and skipped).")
    boolean keepGoing;

    @Option(names = "--time", description = "Print on standard error the scan's time and the 10 rules that took longest.")
    boolean time;

    @Override
    public Integer call() throws IOException {
        if (dryRun && !autofix) {
            throw new UserError("--dryrun only works together with --autofix");
        }
        if (store.json() && !format.equals("text") && !format.equals("json")) {
            throw new UserError("--json asks for a JSON report, --format " + format + " for another; give one of them");
        }
        ReportFormat reportFormat;
        try {
            reportFormat = ReportFormat.parse(store.json() ? "json" : format);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new UserError("no such file or directory: " + path);
            }
        }
        if (timeoutSeconds <= 0) {
            throw new UserError("--timeout must be a positive number of seconds");
        }
        int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (threads <= 0) {
            throw new UserError("--jobs must be at least 1");
        }
        // Listing the files needs nothing from the rules: it runs on another core while they are read.
        CompletableFuture<SourceFiles.Selection> listing = CompletableFuture.supplyAsync(() -> {
            try {
                return new SourceFiles().collect(paths);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Engine engine = Engine.create();
        Scanner scanner = engine.scanner(threads, Duration.ofSeconds(timeoutSeconds), true);
        if (advisories != null && !Files.isDirectory(advisories)) {
            throw new UserError("--advisories must be a directory of OSV records: " + advisories);
        }
        RuleSet ruleSet = codeRules(engine);
        DependencyScan.Pinned pinned = advisories != null || ruleSet.rules().stream().anyMatch(Rule::isDependencyRule)
                ? DependencyScan.pinned(paths) : DependencyScan.Pinned.NONE;
        if (advisories != null) {
            ruleSet = ruleSet.plus(advisoryRules(engine, pinned.dependencies()));
        }
        // Rules given by hand that are broken stop the scan, so CI notices; unsupported ones are only skipped.
        boolean stop = rules != null && !keepGoing && ruleSet.problems().stream().anyMatch(p -> p.kind() == RuleProblem.Kind.INVALID);
        for (RuleProblem problem : ruleSet.problems()) {
            System.err.println("freshet: " + (stop && problem.kind() == RuleProblem.Kind.INVALID ? "malformed " : "skipped ") + problem);
        }
        if (stop) {
            long malformed = ruleSet.problems().stream().filter(p -> p.kind() == RuleProblem.Kind.INVALID).count();
            throw new UserError(malformed + " malformed rule file(s) or rule(s) in " + rules
                    + " (listed above); fix them, or pass --keep-going to scan with the others");
        }
        if (ruleSet.rules().isEmpty() && advisories == null) {
            throw new UserError("no usable rules in " + (rules != null ? rules : "the active release")
                    + (ruleSet.problems().isEmpty() ? "" : " (see the problems above)"));
        }
        SourceFiles.Selection selection = listed(listing);
        Progress progress = Progress.onTerminal(!noProgress, "scanning", selection.files().size());
        ScanResult result = DependencyScan.scan(scanner, ruleSet.rules(), selection.files(), Path.of(""), pinned,
                progress::update);
        progress.finish();
        if (time) {
            printTimes(result);
        }
        List<RuleInfo> infos = ruleSet.rules().stream().filter(r -> !r.isDependencyRule()).map(RuleInfo::of).toList();
        if (!(dryRun && output == null)) {
            writeReport(reportFormat, result, infos);
        }
        if (autofix) {
            applyFixes(engine, result);
        }
        return result.foundAnything() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private static SourceFiles.Selection listed(CompletableFuture<SourceFiles.Selection> listing) throws IOException {
        try {
            return listing.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case UncheckedIOException io -> throw io.getCause();
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw e;
            }
        }
    }

    /**
     * Applies every finding's fix, file by file (or, with --dryrun, prints them as a diff). One line per file
     * on standard error says how many fixes it got and which were left out.
     */
    /** Matching time per rule is summed over files; with several threads the sum can exceed the wall time. */
    static void printTimes(ScanResult result) {
        System.err.printf("freshet: %d file(s), %d line(s) in %.2f s; matching time of the slowest rules:%n",
                result.filesScanned(), result.linesScanned(), result.elapsedNanos() / 1e9);
        result.slowestRules(10).forEach(rule -> System.err.printf("freshet:   %8.3f s  %s%n", rule.getValue() / 1e9, rule.getKey()));
    }

    private void applyFixes(Engine engine, ScanResult result) {
        Map<Path, List<Edit>> byFile = new TreeMap<>();
        for (Finding finding : result.findings()) {
            if (finding.fix() != null) {
                byFile.computeIfAbsent(finding.file(), f -> new ArrayList<>()).add(finding.fix().edit());
            }
        }
        FileFixer fixer = new FileFixer(engine.parser());
        Path base = Path.of("").toAbsolutePath();
        int applied = 0;
        int files = 0;
        for (Map.Entry<Path, List<Edit>> entry : byFile.entrySet()) {
            Path absolute = entry.getKey().toAbsolutePath().normalize();
            String display = (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
            FileFixer.Outcome outcome = fixer.fix(entry.getKey(), display, entry.getValue(), !dryRun);
            if (outcome.error() != null) {
                System.err.println("freshet: " + display + ": not fixed: " + outcome.error());
                continue;
            }
            if (dryRun) {
                System.out.print(outcome.diff());
            }
            applied += outcome.applied().size();
            files += outcome.applied().isEmpty() ? 0 : 1;
            System.err.println("freshet: " + display + ": " + outcome.applied().size() + " fix(es) " + (dryRun ? "would be applied" : "applied")
                    + (outcome.skipped().isEmpty() ? "" : ", " + outcome.skipped().size() + " skipped"));
            outcome.skipped().forEach(s -> System.err.println("freshet:   skipped the fix at offset " + s.edit().start() + ": " + s.reason()));
            if (outcome.parseNote() != null) {
                System.err.println("freshet:   note: " + outcome.parseNote());
            }
        }
        System.err.println("freshet: " + applied + " fix(es) " + (dryRun ? "would be applied" : "applied") + " in " + files + " file(s)"
                + (byFile.isEmpty() ? " (no finding has a fix)" : ""));
    }

    /** Code rules: --rules, else the active release; with --advisories alone, none is fine. */
    private RuleSet codeRules(Engine engine) {
        if (rules != null) {
            return engine.loader().load(rules);
        }
        try {
            return activeRelease(engine);
        } catch (UserError noRelease) {
            if (advisories != null) {
                return new RuleSet(List.of(), List.of());
            }
            throw noRelease;
        }
    }

    /**
     * The OSV records under --advisories that cover a pinned dependency, as dependency rules (the
     * kind a release carries). Compiling only those keeps a scan against a whole database quick.
     */
    private RuleSet advisoryRules(Engine engine, List<Dependency> dependencies) throws IOException {
        Advisories.Loaded loaded = Advisories.load(advisories);
        if (!loaded.rejected().isEmpty()) {
            System.err.println("freshet: " + loaded.rejected().size() + " advisory file(s) skipped, first: " + loaded.rejected().get(0));
        }
        return new AdvisoryIndex(loaded.records()).affecting(dependencies).parallelStream()
                .map(advisory -> {
                    String yaml = DependencyRules.document(advisory);
                    return yaml == null ? new RuleSet(List.of(), List.of())
                            : engine.loader().parse(advisories.resolve(advisory.id()), yaml);
                })
                .reduce(new RuleSet(List.of(), List.of()), RuleSet::plus);
    }

    /** The rules of the active release with local overrides applied, compiled. */
    private RuleSet activeRelease(Engine engine) {
        try (Parts parts = Parts.open(store.settings(), engine, Clock.systemUTC(), System.getenv())) {
            Release release = parts.updates().releases().active()
                    .orElseThrow(() -> new UserError("no active release: pass --rules PATH, or add a source and run 'freshet update check'"));
            Overrides.Applied applied = parts.updates().overrides().applyWithReport(release.rules());
            applied.drifts().forEach(d -> System.err.println("freshet: rule " + d.ruleId()
                    + " changed upstream since its local override was made; review it ('freshet overrides list')"));
            RuleCompiler.Result compiled = parts.updates().compiler().compile(release.id(), ActiveKnowledge.documents(applied.rules()));
            return new RuleSet(compiled.knowledge().rules(), compiled.problems());
        }
    }

    /** Writes to a temporary file first, so a failed run never leaves half a report behind. */
    private void writeReport(ReportFormat reportFormat, ScanResult result, List<RuleInfo> infos) throws IOException {
        String version = FreshetVersion.current();
        Path base = Path.of("").toAbsolutePath();
        if (output == null) {
            Writer out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            reportFormat.writer(version).write(result, infos, base, out);
            out.flush();
            return;
        }
        Path target = output.toAbsolutePath();
        Path parent = target.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError("cannot write " + output + ": directory " + parent + " does not exist");
        }
        Path temporary = Files.createTempFile(parent, ".freshet-report", ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                reportFormat.writer(version).write(result, infos, base, out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        System.err.println("freshet: " + result.findings().size() + " finding(s)"
                + (result.dependencies().isEmpty() ? "" : " and " + result.dependencies().size() + " vulnerable dependency(ies)")
                + " written to " + output);
    }
}

package dev.freshet.app.bench;

import dev.freshet.app.Engine;
import dev.freshet.app.ExitCodes;
import dev.freshet.app.JsonOutput;
import dev.freshet.app.UserError;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.FindingCache;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet bench rescan}: a full scan, then the rescan after a release that changes a few rules,
 * with findings kept per file content and rule definition; checks the rescan equals a full scan.
 */
@Command(name = "rescan", mixinStandardHelpOptions = true,
        header = "Measure an incremental rescan after a release that changes a few rules.",
        description = {"Scans --input with --rules, then changes --changed of the rules (their message, so their",
                "definitions differ) as a new release would, and rescans with the findings of unchanged rules on",
                "unchanged files reused. Prints both times and whether the rescan's findings equal a full scan's."},
        footer = {"", "Example:", "  freshet bench rescan --rules ../shared/corpus/semgrep-rules/python --input ../shared/corpus/code/sqlalchemy --changed 3"})
final class RescanBenchCommand implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "PATH", description = "Rule file or directory.")
    Path rules;

    @Option(names = "--input", required = true, paramLabel = "DIR", description = "Directory to scan.")
    Path input;

    @Option(names = "--changed", defaultValue = "3", paramLabel = "N", description = "Rules the new release changes (default: ${DEFAULT-VALUE}).")
    int changed;

    @Mixin
    JsonOutput json;

    record Figures(int rules, int changedRules, int files, long lines, double fullScanSeconds, double firstCachingScanSeconds,
                   double rescanSeconds, double speedup, int findings, boolean identical) {
    }

    @Override
    public Integer call() throws IOException {
        Engine engine = Engine.create();
        RuleSet ruleSet = engine.loader().load(List.of(rules));
        List<Rule> before = ruleSet.rules().stream().filter(r -> !r.isDependencyRule()).toList();
        if (changed < 1 || changed > before.size()) {
            throw new UserError("--changed must be between 1 and the " + before.size() + " code rules loaded: " + changed);
        }
        List<Path> files = new SourceFiles().collect(List.of(input)).files();
        Set<String> changedIds = before.stream().map(Rule::id).sorted().limit(changed).collect(Collectors.toSet());
        List<Rule> after = before.stream().map(r -> changedIds.contains(r.id()) ? revised(r) : r).toList();

        Scanner plain = engine.scanner();
        Scanner caching = engine.cachingScanner(new FindingCache(1L << 30));
        ScanResult firstCaching = caching.scan(before, files, input, n -> { });
        ScanResult rescan = caching.scan(after, files, input, n -> { });
        ScanResult full = plain.scan(after, files, input, n -> { });

        boolean identical = rescan.findings().equals(full.findings())
                && Set.copyOf(rescan.problems()).equals(Set.copyOf(full.problems()));
        Figures figures = new Figures(after.size(), changed, files.size(), full.linesScanned(), full.elapsedNanos() / 1e9,
                firstCaching.elapsedNanos() / 1e9, rescan.elapsedNanos() / 1e9,
                (double) full.elapsedNanos() / Math.max(1, rescan.elapsedNanos()), full.findings().size(), identical);
        json.print(figures, """
                rules: %d (%d changed), input: %d files, %d lines
                full scan: %.2f s, first scan filling the cache: %.2f s
                rescan after the release: %.2f s (%.1fx faster than a full scan)
                findings: %d; rescan equals a full scan: %s
                """.formatted(figures.rules(), changed, figures.files(), figures.lines(), figures.fullScanSeconds(),
                figures.firstCachingScanSeconds(), figures.rescanSeconds(), figures.speedup(), figures.findings(),
                identical ? "yes" : "NO"));
        return identical ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /** The rule as a release that reworded its message would bring it: another definition, so another hash. */
    private static Rule revised(Rule rule) {
        return new Rule(rule.id(), rule.message() + " (revised)", rule.severity(), rule.languages(), rule.formulas(),
                rule.prefilters(), rule.metadata(), rule.paths(), rule.origin(), rule.line(), rule.dependsOn(), rule.autofix(),
                Sha256.hex(rule.definitionHash() + " revised"));
    }
}

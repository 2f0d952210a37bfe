package dev.freshet.engine.testing;

import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs rules against their own test files, Semgrep's convention: {@code X.yaml} is tested on the
 * files {@code X.<ext>} beside it, and per rule and file the set of lines where findings start must
 * equal the set of annotated lines. Rules' {@code paths:} filters do not apply in tests. Where
 * {@code X.fixed.<ext>} exists, the rules' fixes applied to {@code X.<ext>} must give exactly that file.
 */
public final class RuleTestRunner {
    private final RuleLoader loader;
    private final Scanner scanner;

    public RuleTestRunner(RuleLoader loader, Scanner scanner) {
        this.loader = loader;
        this.scanner = scanner;
    }

    /** Tests every rule file at or under {@code path}, reporting each result as it is known. */
    public List<RuleTestResult> run(Path path, Consumer<RuleTestResult> listener) throws IOException {
        List<RuleTestResult> results = new ArrayList<>();
        for (Path ruleFile : ruleFiles(path)) {
            for (RuleTestResult result : runFile(ruleFile)) {
                listener.accept(result);
                results.add(result);
            }
        }
        return results;
    }

    private static List<Path> ruleFiles(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).filter(RuleTestRunner::isRuleFile).sorted().toList();
        }
    }

    private static boolean isRuleFile(Path file) {
        String name = file.getFileName().toString();
        // X.fixed.yaml is an autofix expectation and X.test.yaml a test target for YAML rules.
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains(".fixed.") && !name.contains(".test.");
    }

    /**
     * The test targets of {@code X.yaml}: the files {@code X.<ext>} in the same directory, {@code <ext>} of one or more
     * parts ({@code X.test.yaml}, {@code X.build.gradle.kts}); {@code X.fixed.<ext>} is not one.
     */
    static List<Path> targets(Path ruleFile) throws IOException {
        String name = ruleFile.getFileName().toString();
        String base = name.substring(0, name.lastIndexOf('.'));
        Path dir = ruleFile.toAbsolutePath().getParent();
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).filter(p -> {
                String other = p.getFileName().toString();
                if (!other.startsWith(base + ".") || isRuleFile(p)) {
                    return false;
                }
                // As Semgrep's find_targets_for_rule: every extension counts (X.build.gradle.kts, X.web.config,
                // X.test.yaml for a YAML rule), but a "fixed" one marks an autofix expectation.
                String extension = other.substring(base.length() + 1);
                return !extension.isEmpty() && !List.of(extension.split("\\.")).contains("fixed");
            }).sorted().toList();
        }
    }

    private List<RuleTestResult> runFile(Path ruleFile) throws IOException {
        RuleSet set = loader.loadFile(ruleFile);
        List<RuleTestResult> results = new ArrayList<>();
        for (RuleProblem problem : set.problems()) {
            RuleTestResult.Status status = problem.kind() == RuleProblem.Kind.UNSUPPORTED
                    ? RuleTestResult.Status.UNSUPPORTED : RuleTestResult.Status.ERROR;
            String reason = (problem.line() > 0 ? "line " + problem.line() + ": " : "") + problem.reason();
            results.add(new RuleTestResult(ruleFile, problem.ruleId() == null ? "(file)" : problem.ruleId(), status, reason, List.of()));
        }
        if (set.rules().isEmpty()) {
            return results;
        }
        List<Path> targets = targets(ruleFile);
        List<Finding> findings = new ArrayList<>();
        List<RuleTestResult> tested = new ArrayList<>();
        for (Rule rule : set.rules()) {
            tested.add(testRule(ruleFile, rule, targets, findings));
        }
        results.addAll(FixedFiles.check(set.rules(), tested, targets, findings));
        return results;
    }

    private RuleTestResult testRule(Path ruleFile, Rule rule, List<Path> targets, List<Finding> allFindings) throws IOException {
        List<Path> applicable = targets.stream()
                .filter(rule::appliesToFile).toList();
        if (applicable.isEmpty()) {
            return new RuleTestResult(ruleFile, rule.id(), RuleTestResult.Status.ERROR,
                    "no test file for its languages beside the rule (expected " + targetHint(ruleFile) + ")", List.of());
        }
        ScanResult scan = scanner.scan(List.of(rule), applicable, ruleFile.getParent(), done -> { });
        List<ScanProblem> failures = scan.problems().stream()
                .filter(p -> p.kind() != ScanProblem.Kind.PARTIAL_PARSE).toList();
        if (!failures.isEmpty()) {
            return new RuleTestResult(ruleFile, rule.id(), RuleTestResult.Status.ERROR,
                    failures.get(0).kind() + ": " + failures.get(0).message(), List.of());
        }
        allFindings.addAll(scan.findings());
        List<RuleTestResult.Mismatch> mismatches = new ArrayList<>();
        for (Path target : applicable) {
            Annotations annotations = Annotations.parse(Files.readString(target, StandardCharsets.UTF_8));
            Set<Integer> ignored = annotations.ignoredLines(rule.id());
            TreeSet<Integer> expected = new TreeSet<>(annotations.expectedLines(rule.id()));
            TreeSet<Integer> reported = new TreeSet<>();
            for (Finding finding : scan.findings()) {
                if (finding.file().equals(target) && !ignored.contains(finding.startLine())) {
                    reported.add(finding.startLine());
                }
            }
            if (!expected.equals(reported)) {
                mismatches.add(new RuleTestResult.Mismatch(target, expected, reported));
            }
        }
        return mismatches.isEmpty()
                ? new RuleTestResult(ruleFile, rule.id(), RuleTestResult.Status.PASSED, "", List.of())
                : new RuleTestResult(ruleFile, rule.id(), RuleTestResult.Status.FAILED, describe(mismatches), mismatches);
    }

    private static String targetHint(Path ruleFile) {
        String name = ruleFile.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.')) + ".<ext>";
    }

    private static String describe(List<RuleTestResult.Mismatch> mismatches) {
        List<String> parts = new ArrayList<>();
        for (RuleTestResult.Mismatch m : mismatches) {
            Set<Integer> missing = new TreeSet<>(m.expected());
            missing.removeAll(m.reported());
            Set<Integer> extra = new TreeSet<>(m.reported());
            extra.removeAll(m.expected());
            parts.add(m.testFile().getFileName() + ": expected lines " + m.expected() + ", reported " + m.reported()
                    + (missing.isEmpty() ? "" : "; missed " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra));
        }
        return String.join("; ", parts);
    }

    /** Counts by status, in the order passed, failed, unsupported, error. */
    public static int[] tally(List<RuleTestResult> results) {
        int[] counts = new int[RuleTestResult.Status.values().length];
        for (RuleTestResult result : results) {
            counts[result.status().ordinal()]++;
        }
        return counts;
    }
}

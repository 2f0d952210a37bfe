package dev.freshet.engine.scan;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.AdvisoryIndex;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.lockfile.Lockfiles;
import dev.freshet.engine.rules.Rule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Completes a code scan with the project's vulnerable dependencies: the dependency rules are
 * matched against the pinned versions, and their code findings (calls of the vulnerable symbols)
 * become the reachability evidence of those dependency findings instead of findings of their own.
 */
public final class DependencyScan {
    private DependencyScan() {
    }

    /** The versions lockfiles pin under some paths, and the lockfiles that could not be read. */
    public record Pinned(List<Dependency> dependencies, List<ScanProblem> problems) {
        public static final Pinned NONE = new Pinned(List.of(), List.of());

        public Pinned {
            dependencies = List.copyOf(dependencies);
            problems = List.copyOf(problems);
        }
    }

    /** Every lockfile at or under {@code paths}; an unreadable one becomes a problem, not an error. */
    public static Pinned pinned(List<Path> paths) {
        List<Dependency> dependencies = new ArrayList<>();
        List<ScanProblem> problems = new ArrayList<>();
        for (Path path : paths) {
            dependencies.addAll(Lockfiles.findAll(path, e -> problems.add(
                    new ScanProblem(e.file(), ScanProblem.Kind.UNREADABLE, e.getMessage()))));
        }
        return new Pinned(dependencies, problems);
    }

    /**
     * One scan of a project: the code rules over {@code files}, the dependency rules against the
     * pinned versions, and the call patterns of only those dependency rules that matched a version.
     */
    public static ScanResult scan(Scanner scanner, List<Rule> rules, List<Path> files, Path base, Pinned pinned,
                                  IntConsumer progress) {
        return scan(scanner, rules, files, base, pinned, progress, Integer.MAX_VALUE);
    }

    /** As {@link #scan(Scanner, List, List, Path, Pinned, IntConsumer)}, keeping at most {@code maxFindings} code findings. */
    public static ScanResult scan(Scanner scanner, List<Rule> rules, List<Path> files, Path base, Pinned pinned,
                                  IntConsumer progress, int maxFindings) {
        List<Rule> applicable = applicable(rules, pinned.dependencies());
        ScanResult code = scanner.scan(applicable, files, base, progress, maxFindings);
        return complete(code.withProblems(pinned.problems()), applicable, pinned.dependencies());
    }

    /**
     * The rules worth running on a project: every code rule, and the dependency rules about a
     * package it pins in an affected version (only their call patterns need to run over its code).
     */
    public static List<Rule> applicable(List<Rule> rules, List<Dependency> dependencies) {
        List<Rule> dependencyRules = rules.stream().filter(Rule::isDependencyRule).toList();
        if (dependencyRules.isEmpty()) {
            return rules;
        }
        Set<String> matched = new AdvisoryIndex(dependencyRules.stream().map(DependencyRules::advisory).toList())
                .affecting(dependencies).stream().map(Advisory::id).collect(Collectors.toSet());
        return rules.stream().filter(rule -> !rule.isDependencyRule() || matched.contains(rule.id())).toList();
    }

    public static ScanResult complete(ScanResult codeScan, List<Rule> rules, List<Dependency> dependencies) {
        Map<String, Rule> dependencyRules = rules.stream().filter(Rule::isDependencyRule)
                .collect(Collectors.toMap(Rule::id, Function.identity(), (a, b) -> a));
        if (dependencyRules.isEmpty()) {
            return codeScan;
        }
        List<Finding> codeFindings = new ArrayList<>();
        Map<String, List<Finding>> callsByRule = new HashMap<>();
        for (Finding finding : codeScan.findings()) {
            if (dependencyRules.containsKey(finding.ruleId())) {
                callsByRule.computeIfAbsent(finding.ruleId(), k -> new ArrayList<>()).add(finding);
            } else {
                codeFindings.add(finding);
            }
        }
        List<Advisory> advisories = dependencyRules.values().stream().map(DependencyRules::advisory).toList();
        Set<String> withCallPatterns = dependencyRules.values().stream().filter(r -> !r.formulas().isEmpty())
                .map(Rule::id).collect(Collectors.toSet());
        List<DependencyFinding> found = new ArrayList<>(codeScan.dependencies());
        for (DependencyFinding finding : new AdvisoryIndex(advisories).match(dependencies)) {
            String ruleId = finding.advisoryIds().get(0);
            List<Finding> calls = callsByRule.getOrDefault(ruleId, List.of());
            found.add(!withCallPatterns.contains(ruleId) ? finding : finding.withReachability(calls.isEmpty()
                    ? DependencyFinding.Reachability.NO_CALL_FOUND : DependencyFinding.Reachability.REACHABLE, calls));
        }
        return new ScanResult(codeFindings, codeScan.problems(), codeScan.filesScanned(), codeScan.linesScanned(),
                codeScan.elapsedNanos(), found, codeScan.ruleNanos(), codeScan.stages());
    }
}

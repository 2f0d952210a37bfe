package dev.freshet.engine.scan;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.AdvisoryIndex;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.rules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Completes a code scan with the project's vulnerable dependencies: the dependency rules are
 * matched against the pinned versions, and their code findings (calls of the vulnerable symbols)
 * become the reachability evidence of those dependency findings instead of findings of their own.
 */
public final class DependencyScan {
    private DependencyScan() {
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
        Map<String, List<Finding>> callsByRule = new java.util.HashMap<>();
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
                codeScan.elapsedNanos(), found);
    }
}

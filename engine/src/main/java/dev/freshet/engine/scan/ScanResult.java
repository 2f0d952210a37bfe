package dev.freshet.engine.scan;

import dev.freshet.engine.deps.DependencyFinding;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a scan found, what it could not do, and how much it looked at.
 *
 * @param dependencies vulnerable dependencies found in lockfiles, beside the code findings
 * @param ruleNanos matching time per rule id, summed over files (threads overlap, so the sum may exceed the elapsed time)
 * @param stages time per stage of the scan, summed over files in the same way
 */
public record ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesScanned, long linesScanned,
                         long elapsedNanos, List<DependencyFinding> dependencies, Map<String, Long> ruleNanos,
                         StageNanos stages) {

    public ScanResult {
        dependencies = List.copyOf(dependencies);
        ruleNanos = Map.copyOf(ruleNanos);
    }

    /** A scan of code only, untimed. */
    public ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesScanned, long linesScanned, long elapsedNanos) {
        this(findings, problems, filesScanned, linesScanned, elapsedNanos, List.of(), Map.of(), StageNanos.NONE);
    }

    public ScanResult withDependencies(List<DependencyFinding> found) {
        return new ScanResult(findings, problems, filesScanned, linesScanned, elapsedNanos, found, ruleNanos, stages);
    }

    /** The same result with more problems (say, lockfiles that could not be read). */
    public ScanResult withProblems(List<ScanProblem> more) {
        return new ScanResult(findings, Stream.concat(problems.stream(), more.stream()).toList(),
                filesScanned, linesScanned, elapsedNanos, dependencies, ruleNanos, stages);
    }

    /** The rules that took longest, slowest first. */
    public List<Map.Entry<String, Long>> slowestRules(int limit) {
        return ruleNanos.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit).toList();
    }

    /** Whether the scan stopped at its limit of findings (see {@link Scanner#scan(List, List, java.nio.file.Path, java.util.function.IntConsumer, int)}). */
    public boolean truncated() {
        return problems.stream().anyMatch(p -> p.kind() == ScanProblem.Kind.TRUNCATED);
    }

    /** Whether anything at all was found. */
    public boolean foundAnything() {
        return !findings.isEmpty() || !dependencies.isEmpty();
    }
}

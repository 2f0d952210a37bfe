package dev.freshet.engine.scan;

import dev.freshet.engine.deps.DependencyFinding;
import java.util.List;

/**
 * What a scan found, what it could not do, and how much it looked at.
 *
 * @param dependencies vulnerable dependencies found in lockfiles, beside the code findings
 */
public record ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesScanned, long linesScanned,
                         long elapsedNanos, List<DependencyFinding> dependencies) {

    public ScanResult {
        dependencies = List.copyOf(dependencies);
    }

    /** A scan of code only. */
    public ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesScanned, long linesScanned, long elapsedNanos) {
        this(findings, problems, filesScanned, linesScanned, elapsedNanos, List.of());
    }

    public ScanResult withDependencies(List<DependencyFinding> found) {
        return new ScanResult(findings, problems, filesScanned, linesScanned, elapsedNanos, found);
    }

    /** The same result with more problems (say, lockfiles that could not be read). */
    public ScanResult withProblems(List<ScanProblem> more) {
        return new ScanResult(findings, java.util.stream.Stream.concat(problems.stream(), more.stream()).toList(),
                filesScanned, linesScanned, elapsedNanos, dependencies);
    }

    /** Whether anything at all was found. */
    public boolean foundAnything() {
        return !findings.isEmpty() || !dependencies.isEmpty();
    }
}

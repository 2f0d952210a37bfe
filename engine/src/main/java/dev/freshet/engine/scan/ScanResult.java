package dev.freshet.engine.scan;

import java.util.List;

/** What a scan found, what it could not do, and how much it looked at. */
public record ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesScanned, long linesScanned,
                         long elapsedNanos) {
}

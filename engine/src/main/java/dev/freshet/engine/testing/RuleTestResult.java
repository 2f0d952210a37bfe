package dev.freshet.engine.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

/** The outcome of one rule's own tests. {@code mismatches} is empty unless it failed. */
public record RuleTestResult(Path ruleFile, String ruleId, Status status, String reason, List<Mismatch> mismatches) {
    public enum Status { PASSED, FAILED, UNSUPPORTED, ERROR }

    /** Where reported lines differed from the annotated ones in one test file. */
    public record Mismatch(Path testFile, SortedSet<Integer> expected, SortedSet<Integer> reported) {
    }
}

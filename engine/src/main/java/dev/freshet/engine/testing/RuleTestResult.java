package dev.freshet.engine.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

/**
 * The outcome of one rule's own tests. {@code mismatches} is empty unless it failed; {@code fixTests} lists the
 * {@code X.fixed.<ext>} files its fixes were checked against.
 */
public record RuleTestResult(Path ruleFile, String ruleId, Status status, String reason, List<Mismatch> mismatches,
                             List<FixTest> fixTests) {
    public enum Status { PASSED, FAILED, UNSUPPORTED, ERROR }

    public RuleTestResult {
        fixTests = List.copyOf(fixTests);
    }

    /** A result without fixed-file checks. */
    public RuleTestResult(Path ruleFile, String ruleId, Status status, String reason, List<Mismatch> mismatches) {
        this(ruleFile, ruleId, status, reason, mismatches, List.of());
    }

    /** Where reported lines differed from the annotated ones in one test file. */
    public record Mismatch(Path testFile, SortedSet<Integer> expected, SortedSet<Integer> reported) {
    }

    /** One check of the rule's fixes against an expected fixed file. */
    public record FixTest(Path fixedFile, boolean passed) {
    }
}

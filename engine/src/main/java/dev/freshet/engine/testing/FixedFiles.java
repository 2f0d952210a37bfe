package dev.freshet.engine.testing;

import dev.freshet.engine.fix.Edit;
import dev.freshet.engine.fix.Edits;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Semgrep's autofix test: the fixes of all the rules of a rule file, applied to the test file {@code X.<ext>},
 * must turn it into {@code X.fixed.<ext>} exactly. A mismatch fails each rule with a fix that covers the file.
 */
final class FixedFiles {
    private static final int MAX_DIFF_LINES = 6;

    private FixedFiles() {
    }

    /** The expected result for a test file, if there is one: {@code X.fixed.<ext>} beside {@code X.<ext>}. */
    static Path expected(Path target) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return target.resolveSibling(name.substring(0, dot) + ".fixed" + name.substring(dot));
    }

    /** The results with the fixed-file checks folded in. */
    static List<RuleTestResult> check(List<Rule> rules, List<RuleTestResult> results, List<Path> targets, List<Finding> findings)
            throws IOException {
        List<RuleTestResult> out = new ArrayList<>(results);
        if (rules.stream().noneMatch(r -> r.autofix() != null)) {
            return out;
        }
        for (Path target : targets) {
            Path fixedFile = expected(target);
            if (!Files.isRegularFile(fixedFile)) {
                continue;
            }
            List<Edit> edits = findings.stream().filter(f -> f.file().equals(target) && f.fix() != null)
                    .map(f -> f.fix().edit()).toList();
            String actual = Edits.apply(Files.readString(target, StandardCharsets.UTF_8), edits).text();
            String wanted = Files.readString(fixedFile, StandardCharsets.UTF_8);
            boolean passed = actual.equals(wanted);
            String mismatch = passed ? null : fixedFile.getFileName() + " differs from the fixed test file: " + firstDifference(wanted, actual);
            for (int i = 0; i < out.size(); i++) {
                String ruleId = out.get(i).ruleId();
                Rule rule = rules.stream().filter(r -> r.id().equals(ruleId)).findFirst().orElse(null);
                boolean covers = rule != null && rule.autofix() != null
                        && rule.appliesToFile(target);
                if (covers) {
                    out.set(i, withFixTest(out.get(i), new RuleTestResult.FixTest(fixedFile, passed), mismatch));
                }
            }
        }
        return out;
    }

    private static RuleTestResult withFixTest(RuleTestResult result, RuleTestResult.FixTest fixTest, String mismatch) {
        List<RuleTestResult.FixTest> fixTests = new ArrayList<>(result.fixTests());
        fixTests.add(fixTest);
        if (mismatch == null || result.status() == RuleTestResult.Status.UNSUPPORTED || result.status() == RuleTestResult.Status.ERROR) {
            return new RuleTestResult(result.ruleFile(), result.ruleId(), result.status(), result.reason(), result.mismatches(), fixTests);
        }
        String reason = result.reason().isEmpty() ? mismatch : result.reason() + "; " + mismatch;
        return new RuleTestResult(result.ruleFile(), result.ruleId(), RuleTestResult.Status.FAILED, reason, result.mismatches(), fixTests);
    }

    /** Where two texts first part, diff-like: the line number, then the expected (-) and the actual (+) lines. */
    static String firstDifference(String expected, String actual) {
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        int line = 0;
        while (line < want.size() && line < got.size() && want.get(line).equals(got.get(line))) {
            line++;
        }
        if (line == want.size() && line == got.size()) {
            return "they differ only in line endings or a final line break";
        }
        StringBuilder out = new StringBuilder("from line ").append(line + 1).append(":");
        for (int i = line; i < Math.min(want.size(), line + MAX_DIFF_LINES / 2); i++) {
            out.append("\n  -").append(want.get(i));
        }
        for (int i = line; i < Math.min(got.size(), line + MAX_DIFF_LINES / 2); i++) {
            out.append("\n  +").append(got.get(i));
        }
        return out.toString();
    }
}

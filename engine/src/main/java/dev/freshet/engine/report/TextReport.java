package dev.freshet.engine.report;

import dev.freshet.engine.rules.Severity;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * For people at a terminal: one block per finding ({@code path:line:col  SEVERITY  rule-id}, the message, the
 * matched code indented), then the problems, then one summary line.
 */
public final class TextReport implements ReportWriter {
    /** Any line break ({@code \R}); compiled once, not for each block of each finding. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    @Override
    public void write(ScanResult result, List<RuleInfo> rules, Path baseDir, Writer out) throws IOException {
        StringBuilder text = new StringBuilder();
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        Function<Path, String> paths = Reports.displayPaths(baseDir);
        for (Finding finding : Reports.sortedFindings(result.findings(), paths)) {
            counts.merge(finding.severity(), 1, Integer::sum);
            text.append(paths.apply(finding.file())).append(':').append(finding.startLine())
                    .append(':').append(finding.startColumn()).append("  ").append(finding.severity())
                    .append("  ").append(finding.ruleId()).append('\n');
            appendIndented(text, finding.message(), "  ");
            appendIndented(text, finding.code(), "    ");
            if (finding.fix() != null) {
                appendIndented(text, "fix (freshet scan --autofix):", "  ");
                appendIndented(text, finding.fix().fixedLines(), "    ");
            }
            text.append('\n');
        }
        for (DependencyFinding found : result.dependencies()) {
            text.append(Reports.displayPath(found.dependency().lockfile(), baseDir)).append(':').append(found.dependency().line())
                    .append("  VULNERABLE  ").append(found.dependency().name()).append('@').append(found.dependency().version())
                    .append("  ").append(String.join(", ", found.advisoryIds()))
                    .append(found.score() == null ? "" : "  " + found.score().rating() + " " + found.score().score())
                    .append(found.kev() == null ? "" : "  KNOWN EXPLOITED (CISA KEV"
                            + (found.kev().dueDate() == null ? ")" : ", due " + found.kev().dueDate() + ")")).append('\n');
            appendIndented(text, found.summary(), "  ");
            for (var call : found.calls()) {
                appendIndented(text, "reachable: " + Reports.displayPath(call.file(), baseDir) + ":" + call.startLine() + "  " + call.code(), "  ");
            }
            if (found.reachability() == DependencyFinding.Reachability.NO_CALL_FOUND) {
                appendIndented(text, "no call of the vulnerable functions found", "  ");
            }
            appendIndented(text, found.fixedVersions().isEmpty() ? "no fixed version known"
                    : "fixed in " + String.join(", ", found.fixedVersions()), "  ");
            text.append('\n');
        }
        List<ScanProblem> problems = Reports.sortedProblems(result.problems(), baseDir);
        if (!problems.isEmpty()) {
            text.append("Problems:\n");
            for (ScanProblem problem : problems) {
                text.append("  ");
                if (problem.file() != null) {
                    text.append(Reports.displayPath(problem.file(), baseDir)).append("  ");
                }
                text.append(problem.kind()).append("  ").append(oneLine(problem.message())).append('\n');
            }
            text.append('\n');
        }
        text.append(summary(result, counts)).append('\n');
        result.problems().stream().filter(p -> p.kind() == ScanProblem.Kind.TRUNCATED).findFirst()
                .ifPresent(truncated -> text.append(truncated.message()).append('\n'));
        out.write(text.toString());
        out.flush();
    }

    private static String summary(ScanResult result, Map<Severity, Integer> counts) {
        StringBuilder line = new StringBuilder(plural(result.findings().size(), "finding"));
        if (!counts.isEmpty()) {
            StringJoiner bySeverity = new StringJoiner(", ", " (", ")");
            counts.forEach((severity, count) -> bySeverity.add(count + " " + severity));
            line.append(bySeverity);
        }
        if (!result.dependencies().isEmpty()) {
            line.append(", ").append(plural(result.dependencies().size(), "vulnerable dependency finding"));
        }
        return line.append(", ").append(plural(result.problems().size(), "problem"))
                .append(" in ").append(plural(result.filesScanned(), "file"))
                .append(" (").append(plural(result.linesScanned(), "line")).append(")")
                .append(" in ").append(seconds(result.elapsedNanos())).append(" s")
                .toString();
    }

    /** Seconds with two decimals, rounded half up (String.format's first use sets up locale data: milliseconds). */
    static String seconds(long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000_000) / 10_000_000;
        long fraction = hundredths % 100;
        return hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private static void appendIndented(StringBuilder text, String block, String indent) {
        if (block == null || block.isBlank()) {
            return;
        }
        for (String line : LINE_BREAK.split(block.stripTrailing(), -1)) {
            text.append(indent).append(line.stripTrailing()).append('\n');
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}

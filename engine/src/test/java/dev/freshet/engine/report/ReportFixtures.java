package dev.freshet.engine.report;

import dev.freshet.engine.rules.Severity;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One small scan, deliberately out of order, with a file outside the base directory and a name needing escapes. */
final class ReportFixtures {
    static final Path BASE = Path.of("/work/project").toAbsolutePath();

    static final Map<String, Object> XSS_METADATA = Map.of(
            "cwe", List.of("CWE-79: Improper Neutralization of Input During Web Page Generation"),
            "owasp", List.of("A03:2021 - Injection"),
            "category", "security",
            "confidence", "HIGH",
            "references", List.of("https://owasp.org/Top10/A03_2021-Injection/"));

    static final RuleInfo XSS = new RuleInfo("python.flask.xss", "User input reaches the response. Escape it.",
            Severity.ERROR, XSS_METADATA);
    static final RuleInfo EVAL = new RuleInfo("python.lang.eval", "eval() of a non-constant string",
            Severity.WARNING, Map.of("cwe", "CWE-95"));
    static final RuleInfo UNUSED = new RuleInfo("js.style.unused", "Nothing matched this one", Severity.INFO,
            Map.of("category", "best-practice"));

    static Finding finding(RuleInfo rule, String file, int line, int col, int endLine, int endCol, String code) {
        return new Finding(rule.id(), rule.severity(), rule.message(), BASE.resolve(file), line, col, endLine,
                endCol, code, rule.metadata());
    }

    static ScanResult result() {
        return new ScanResult(
                List.of(
                        finding(XSS, "app/views.py", 12, 5, 12, 31, "return make_response(name)"),
                        finding(EVAL, "app/a b.py", 3, 1, 4, 10, "eval(\n    code)"),
                        finding(XSS, "app/views.py", 2, 9, 2, 20, "render(q)"),
                        new Finding("go.unknown", Severity.LOW, "Rule not in the catalog",
                                Path.of("/elsewhere/x.go"), 1, 1, 1, 2, "x", null)),
                List.of(
                        new ScanProblem(BASE.resolve("lib/broken.py"), ScanProblem.Kind.PARTIAL_PARSE,
                                "2 syntax errors"),
                        new ScanProblem(BASE.resolve("app/views.py"), ScanProblem.Kind.RULE_ERROR,
                                "python.lang.eval failed: boom")),
                7, 1234, 1_500_000_000L);
    }

    static List<RuleInfo> rules() {
        return List.of(XSS, EVAL, UNUSED);
    }

    static String render(ReportFormat format, ScanResult result) {
        StringWriter out = new StringWriter();
        try {
            format.writer("1.2.3").write(result, rules(), BASE, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private ReportFixtures() {
    }
}

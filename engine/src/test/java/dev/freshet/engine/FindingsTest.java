package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.rules.Severity;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a finding carries besides its position: message, severity, metadata; and rules' path filters. */
class FindingsTest extends EngineTestSupport {

    @Test
    void messageInterpolatesMetavariables() {
        List<Finding> findings = scan(rule("m", "python", "ERROR", "$FN($ARG) called; $ARG again; $UNBOUND stays",
                "pattern: $FN($ARG)"), "t.py", """
                run(cmd)
                """);
        assertThat(messages(findings)).containsExactly("run(cmd) called; cmd again; $UNBOUND stays");
    }

    @Test
    void longerMetavariableNamesAreNotReplacedByPrefixes() {
        List<Finding> findings = scan(rule("m", "python", "ERROR", "$XY then $X",
                "pattern: f($X, $XY)"), "t.py", """
                f(a, b)
                """);
        assertThat(messages(findings)).containsExactly("b then a");
    }

    @Test
    void messageInterpolatesStringLiteralsWithTheirQuotes() {
        List<Finding> findings = scan(rule("m", "javascript", "ERROR", "opens $P",
                "pattern: fs.readFileSync($P)"), "t.js", """
                fs.readFileSync('/etc/passwd');
                """);
        assertThat(messages(findings)).containsExactly("opens '/etc/passwd'");
    }

    @Test
    void messageInterpolatesMetavariableEllipsis() {
        List<Finding> findings = scan(rule("m", "java", "ERROR", "args: [$...A]", "pattern: log($...A)"), "T.java", """
                class T { void m() { log("x", y, 3); } }
                """);
        assertThat(messages(findings)).containsExactly("args: [\"x\", y, 3]");
    }

    @Test
    void messageInterpolatesRegexGroups() {
        List<Finding> findings = scan(rule("m", "python", "ERROR", "user $1 with $PW",
                "pattern-regex: (\\w+):(?P<PW>\\w+)@localhost"), "t.py", """
                url = "admin:s3cret@localhost"
                """);
        assertThat(messages(findings)).containsExactly("user admin with s3cret");
        assertThat(spans(findings)).containsExactly("1:8-1:30");
    }

    @Test
    void multiLineMessageIsKeptWithoutTrailingNewline() {
        List<Finding> findings = scan("""
                rules:
                - id: m
                  languages: [python]
                  severity: INFO
                  message: |
                    First line about $X.
                    Second line.
                  pattern: print($X)
                """, "t.py", "print(x)\n");
        assertThat(messages(findings)).containsExactly("First line about x.\nSecond line.");
    }

    @ParameterizedTest
    @CsvSource({
            "ERROR, ERROR", "WARNING, WARNING", "INFO, INFO",
            "CRITICAL, CRITICAL", "HIGH, HIGH", "MEDIUM, MEDIUM", "LOW, LOW", "INVENTORY, INVENTORY", "EXPERIMENT, EXPERIMENT"})
    void severityIsCarriedToFindings(String written, Severity expected) {
        List<Finding> findings = scan(rule("s", "python", written, "m", "pattern: f()"), "t.py", "f()\n");
        assertThat(findings).singleElement().extracting(Finding::severity).isEqualTo(expected);
    }

    @Test
    void metadataIsPreservedOnFindings() {
        List<Finding> findings = scan("""
                rules:
                - id: weak-hash
                  languages: [python]
                  severity: WARNING
                  message: weak hash
                  pattern: hashlib.md5(...)
                  metadata:
                    cwe:
                      - "CWE-327: Use of a Broken or Risky Cryptographic Algorithm"
                    owasp: "A02:2021 - Cryptographic Failures"
                    confidence: HIGH
                    likelihood: 3
                    references:
                      - https://example.com/md5
                    nested:
                      deeper:
                        flag: true
                """, "t.py", "hashlib.md5(b'x')\n");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("weak-hash");
            assertThat(f.metadata()).containsExactly(
                    Map.entry("cwe", List.of("CWE-327: Use of a Broken or Risky Cryptographic Algorithm")),
                    Map.entry("owasp", "A02:2021 - Cryptographic Failures"),
                    Map.entry("confidence", "HIGH"),
                    Map.entry("likelihood", "3"),
                    Map.entry("references", List.of("https://example.com/md5")),
                    Map.entry("nested", Map.of("deeper", Map.of("flag", "true"))));
        });
    }

    @Test
    void ruleWithoutMetadataHasEmptyMetadata() {
        List<Finding> findings = scan(rule("python", "pattern: f()"), "t.py", "f()\n");
        assertThat(findings).singleElement().extracting(Finding::metadata).isEqualTo(Map.of());
    }

    @Test
    void findingCarriesFileCodeAndEndPosition() {
        ScanResult result = scanFiles(pattern("python", "foo(...)"), "pkg/mod.py", """
                x = 1
                y = foo(1,
                        2)
                """);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo(tmp.resolve("pkg/mod.py"));
            assertThat(f.code()).isEqualTo("foo(1,\n        2)");
            assertThat(List.of(f.startLine(), f.startColumn(), f.endLine(), f.endColumn())).containsExactly(2, 5, 3, 11);
        });
        assertThat(result.filesScanned()).isEqualTo(1);
    }

    @Test
    void columnsCountCharactersNotBytes() {
        List<Finding> findings = scan(pattern("python", "danger(...)"), "t.py", """
                s = "héllo wörld"; danger(s)
                """);
        assertThat(spans(findings)).containsExactly("1:20-1:29");
    }

    private static final String PATH_RULE = """
            rules:
            - id: scoped
              languages: [python]
              severity: ERROR
              message: m
              pattern: eval(...)
              paths:
                include:
                  - src/
                exclude:
                  - "*_test.py"
                  - src/vendor/
            """;

    @Test
    void pathsIncludeAndExcludeApplyToScans() {
        ScanResult result = scanFiles(PATH_RULE,
                "src/app.py", "eval(x)\n",
                "src/deep/more.py", "eval(x)\n",
                "src/app_test.py", "eval(x)\n",
                "src/vendor/lib.py", "eval(x)\n",
                "other/tool.py", "eval(x)\n");
        assertThat(result.findings()).extracting(f -> tmp.relativize(f.file()).toString().replace('\\', '/'))
                .containsExactly("src/app.py", "src/deep/more.py");
    }

    @Test
    void pathsAreIgnoredWhenFiltersAreOff() {
        List<Path> files = List.of(write("other/tool.py", "eval(x)\n"), write("src/app_test.py", "eval(y)\n"));
        ScanResult result = scanner(false).scan(rules(PATH_RULE), files, tmp, n -> { });
        assertThat(result.findings()).hasSize(2);
    }

    @Test
    void excludeOnlyRule() {
        ScanResult result = scanFiles("""
                rules:
                - id: no-tests
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: eval(...)
                  paths:
                    exclude:
                      - tests
                """,
                "app.py", "eval(x)\n",
                "tests/test_app.py", "eval(x)\n",
                "lib/tests/helper.py", "eval(x)\n");
        assertThat(result.findings()).extracting(f -> tmp.relativize(f.file()).toString())
                .containsExactly("app.py");
    }

    @Test
    void ruleOnlyRunsOnFilesOfItsLanguages() {
        ScanResult result = scanFiles(pattern("python", "eval(x)"),
                "a.py", "eval(x)\n",
                "b.js", "eval(x);\n",
                "c.txt", "eval(x)\n");
        assertThat(result.findings()).extracting(f -> f.file().getFileName().toString()).containsExactly("a.py");
    }

    @Test
    void severalRulesReportSeparatelyInLineOrder() {
        List<Finding> findings = scan("""
                rules:
                - id: b-rule
                  languages: [python]
                  severity: ERROR
                  message: b
                  pattern: b()
                - id: a-rule
                  languages: [python]
                  severity: ERROR
                  message: a
                  pattern: a()
                """, "t.py", """
                b()
                a()
                b()
                """);
        assertThat(findings).extracting(Finding::ruleId, Finding::startLine)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b-rule", 1),
                        org.assertj.core.groups.Tuple.tuple("a-rule", 2),
                        org.assertj.core.groups.Tuple.tuple("b-rule", 3));
    }
}

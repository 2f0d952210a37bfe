package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.engine.testing.Annotations;
import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestResult.Status;
import dev.freshet.engine.testing.RuleTestRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Semgrep's rule-test convention: annotated test files beside the rules. */
class RuleTestRunnerTest extends EngineTestSupport {

    private List<RuleTestResult> run(Path path) throws IOException {
        RuleTestRunner runner = new RuleTestRunner(loader(), scanner(false));
        List<RuleTestResult> heard = new ArrayList<>();
        List<RuleTestResult> results = runner.run(path, heard::add);
        assertThat(heard).containsExactlyElementsOf(results);
        return results;
    }

    private static RuleTestResult result(List<RuleTestResult> results, String ruleId) {
        return results.stream().filter(r -> r.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    @Nested
    class AnnotationParsing {
        @Test
        void hashComments() {
            Annotations a = Annotations.parse("""
                    # ruleid: r1
                    bad()
                    # ok: r1
                    fine()
                    #ruleid:r2
                    bad()
                    """);
            assertThat(a.expectedLines("r1")).containsExactly(2);
            assertThat(a.expectedLines("r2")).containsExactly(6);
            assertThat(a.expected()).containsOnlyKeys("r1", "r2");
        }

        @Test
        void okAloneExpectsNoFindings() {
            Annotations a = Annotations.parse("// ok: quiet\nfine();\n");
            assertThat(a.expected()).containsEntry("quiet", Set.of());
            assertThat(a.expectedLines("quiet")).isEmpty();
        }

        @Test
        void slashSlashAndBlockComments() {
            Annotations a = Annotations.parse("""
                    // ruleid: js-rule
                    eval(x);
                    /* ruleid: js-rule */
                    eval(y);
                        // ruleid: js-rule
                        eval(z);
                    """);
            assertThat(a.expectedLines("js-rule")).containsExactlyInAnyOrder(2, 4, 6);
        }

        @Test
        void htmlAndJsxComments() {
            Annotations a = Annotations.parse("""
                    <!-- ruleid: html-rule -->
                    <a href="javascript:x">
                    <!--ok: html-rule-->
                    <a href="/x">
                    {/* ruleid: jsx-rule */}
                    <div dangerouslySetInnerHTML={x} />
                    """);
            assertThat(a.expectedLines("html-rule")).containsExactly(2);
            assertThat(a.expectedLines("jsx-rule")).containsExactly(6);
        }

        @Test
        void severalIdsSeparatedByCommas() {
            Annotations a = Annotations.parse("""
                    # ruleid: first, second,third
                    both()
                    """);
            assertThat(a.expectedLines("first")).containsExactly(2);
            assertThat(a.expectedLines("second")).containsExactly(2);
            assertThat(a.expectedLines("third")).containsExactly(2);
        }

        @Test
        void todoAnnotationsAreIgnoredLines() {
            Annotations a = Annotations.parse("""
                    # ruleid: r
                    bad()
                    # todoruleid: r
                    missed()
                    # todook: r
                    wrongly_reported()
                    """);
            assertThat(a.expectedLines("r")).containsExactly(2);
            assertThat(a.ignoredLines("r")).containsExactlyInAnyOrder(4, 6);
        }

        @Test
        void textThatMerelyMentionsAnAnnotationIsNotOne() {
            Annotations a = Annotations.parse("""
                    x = "ruleid: r"
                    y = 1
                    """);
            assertThat(a.expected()).isEmpty();
        }
    }

    @Test
    void passingRuleFile() throws IOException {
        Path rules = write("tests/checks.yaml", """
                rules:
                - id: no-eval
                  languages: [python]
                  severity: ERROR
                  message: eval
                  pattern: eval(...)
                - id: no-exec
                  languages: [python]
                  severity: ERROR
                  message: exec
                  pattern: exec(...)
                """);
        write("tests/checks.py", """
                # ruleid: no-eval
                eval(a)
                # ok: no-eval
                safe(a)
                # ruleid: no-eval, no-exec
                eval(exec(b))
                # todoruleid: no-eval
                evaluate(c)
                # todook: no-eval
                eval(d)
                # ruleid: no-exec
                exec(e)
                """);
        List<RuleTestResult> results = run(rules);
        assertThat(results).extracting(RuleTestResult::ruleId, RuleTestResult::status)
                .containsExactlyInAnyOrder(tuple("no-eval", Status.PASSED), tuple("no-exec", Status.PASSED));
        assertThat(results).allSatisfy(r -> assertThat(r.mismatches()).isEmpty());
        assertThat(RuleTestRunner.tally(results)).containsExactly(2, 0, 0, 0);
    }

    /** As Semgrep's find_targets_for_rule: X.<ext>.<ext> is a target of X.yaml, X.fixed.<ext> and other names are not. */
    @Test
    void targetsMayCarrySeveralExtensions() throws IOException {
        Path rules = write("multi/deps.yaml", "rules: []\n");
        write("multi/deps.package.json", "{}");
        write("multi/deps.test.yaml", "a: 1\n");
        write("multi/deps.fixed.json", "{}");
        write("multi/deps-other.json", "{}");
        write("multi/deps..json", "{}");
        assertThat(RuleTestRunner.targets(rules)).extracting(p -> p.getFileName().toString())
                .containsExactly("deps.package.json", "deps.test.yaml");
    }

    @Test
    void failingRuleFileReportsExpectedAndReportedLines() throws IOException {
        Path rules = write("t/fail.yaml", """
                rules:
                - id: no-eval
                  languages: [python]
                  severity: ERROR
                  message: eval
                  pattern: eval(...)
                """);
        Path target = write("t/fail.py", """
                # ruleid: no-eval
                safe(a)
                eval(b)
                # ruleid: no-eval
                eval(c)
                """);
        RuleTestResult result = result(run(rules), "no-eval");
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.testFile()).isEqualTo(target);
            assertThat(m.expected()).containsExactly(2, 5);
            assertThat(m.reported()).containsExactly(3, 5);
        });
        assertThat(result.reason()).contains("missed [2]", "unexpected [3]");
    }

    @Test
    void javaScriptTestFileWithSlashComments() throws IOException {
        Path rules = write("js/inner-html.yaml", """
                rules:
                - id: inner-html
                  languages: [javascript]
                  severity: WARNING
                  message: innerHTML
                  patterns:
                    - pattern: $EL.innerHTML = $V
                    - pattern-not: $EL.innerHTML = "..."
                """);
        write("js/inner-html.js", """
                // ruleid: inner-html
                el.innerHTML = html;
                // ok: inner-html
                el.innerHTML = "<b>static</b>";
                function f(x) {
                  /* ruleid: inner-html */
                  document.body.innerHTML = x;
                }
                """);
        assertThat(run(rules)).extracting(RuleTestResult::ruleId, RuleTestResult::status)
                .containsExactly(tuple("inner-html", Status.PASSED));
    }

    @Test
    void ruleTestedOnEveryTestFileOfItsLanguages() throws IOException {
        Path rules = write("multi/eval.yaml", """
                rules:
                - id: eval
                  languages: [python, javascript]
                  severity: ERROR
                  message: eval
                  pattern: eval(x)
                """);
        write("multi/eval.py", "# ruleid: eval\neval(x)\n");
        write("multi/eval.js", "// ruleid: eval\nfoo(x);\n");
        write("multi/eval.java", "// ruleid: eval\nclass T {}\n");
        RuleTestResult result = result(run(rules), "eval");
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.mismatches()).extracting(m -> m.testFile().getFileName().toString(), m -> m.expected(), m -> m.reported())
                .containsExactly(tuple("eval.js", new java.util.TreeSet<>(Set.of(2)), new java.util.TreeSet<>()));
    }

    @Test
    void testFilesMayHaveExtensionsOfSeveralParts() throws IOException {
        // Semgrep's find_targets_for_rule: X.<any extensions> is a target of X.yaml, unless one part is "fixed".
        Path rules = write("multi-ext/gradle-eval.yaml", """
                rules:
                - id: gradle-eval
                  languages: [kotlin]
                  severity: ERROR
                  message: eval
                  pattern: eval(...)
                """);
        write("multi-ext/gradle-eval.build.gradle.kts", "// ruleid: gradle-eval\neval(x)\n");
        write("multi-ext/gradle-eval.fixed.kts", "// ruleid: gradle-eval\nfine(x)\n");
        assertThat(result(run(rules), "gradle-eval").status()).isEqualTo(Status.PASSED);
    }

    @Test
    void pathFiltersDoNotApplyInRuleTests() throws IOException {
        Path rules = write("p/scoped.yaml", """
                rules:
                - id: scoped
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: eval(...)
                  paths:
                    include:
                      - src/
                """);
        write("p/scoped.py", "# ruleid: scoped\neval(x)\n");
        assertThat(result(run(rules), "scoped").status()).isEqualTo(Status.PASSED);
    }

    @Test
    void unsupportedAndBrokenRulesAreReportedNextToTestedOnes() throws IOException {
        Path rules = write("u/mixed.yaml", """
                rules:
                - id: taint-rule
                  mode: join
                  languages: [python]
                  severity: ERROR
                  message: m
                - id: broken
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern-regex: "("
                - id: fine
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: eval(...)
                """);
        write("u/mixed.py", "# ruleid: fine\neval(x)\n");
        List<RuleTestResult> results = run(rules);
        assertThat(results).extracting(RuleTestResult::ruleId, RuleTestResult::status).containsExactlyInAnyOrder(
                tuple("taint-rule", Status.UNSUPPORTED), tuple("broken", Status.ERROR), tuple("fine", Status.PASSED));
        assertThat(result(results, "taint-rule").reason()).isEqualTo("line 3: join mode");
        assertThat(result(results, "broken").reason()).startsWith("line 11: ");
        assertThat(RuleTestRunner.tally(results)).containsExactly(1, 0, 1, 1);
    }

    @Test
    void ruleWithoutTestFileIsAnError() throws IOException {
        Path rules = write("lonely/alone.yaml", """
                rules:
                - id: alone
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: eval(...)
                """);
        write("lonely/alone.js", "eval(x);\n");
        RuleTestResult result = result(run(rules), "alone");
        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.reason()).contains("alone.<ext>");
    }

    @Test
    void directoryRunTestsEveryRuleFile() throws IOException {
        write("dir/a.yaml", """
                rules:
                - id: a
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: a()
                """);
        write("dir/a.py", "# ruleid: a\na()\n");
        write("dir/sub/b.yml", """
                rules:
                - id: b
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: b()
                """);
        write("dir/sub/b.py", "# ok: b\nc()\n# ruleid: b\nb()\n");
        List<RuleTestResult> results = run(tmp.resolve("dir"));
        assertThat(results).extracting(RuleTestResult::ruleId, RuleTestResult::status)
                .containsExactly(tuple("a", Status.PASSED), tuple("b", Status.PASSED));
        assertThat(results).extracting(r -> r.ruleFile().getFileName().toString()).containsExactly("a.yaml", "b.yml");
    }

    @Test
    void severalRulesOnOneLine() throws IOException {
        Path rules = write("both/both.yaml", """
                rules:
                - id: call-a
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: a(...)
                - id: call-b
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: b(...)
                """);
        write("both/both.py", """
                # ruleid: call-a,call-b
                a(b())
                # ruleid: call-a
                a(c())
                """);
        List<RuleTestResult> results = run(rules);
        assertThat(results).extracting(RuleTestResult::ruleId, RuleTestResult::status)
                .containsExactlyInAnyOrder(tuple("call-a", Status.PASSED), tuple("call-b", Status.PASSED));
    }
}

package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.fix.Edits;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rules' fix: and fix-regex: from loading through the finding's fix to the test runner's fixed files. */
class AutofixTest extends EngineTestSupport {

    /** The file's text once every finding's fix is applied. */
    private String fixed(String yaml, String fileName, String source) {
        List<Finding> findings = scan(yaml, fileName, source);
        assertThat(findings).allSatisfy(f -> assertThat(f.fix()).as("fix of " + f).isNotNull());
        return Edits.apply(source, findings.stream().map(f -> f.fix().edit()).toList()).text();
    }

    @Nested
    class Templates {
        @Test
        void metavariablesTakeTheMatchedCode() {
            String yaml = rule("python", "pattern: exit($X)\nfix: sys.exit($X)");
            assertThat(fixed(yaml, "a.py", "exit(code + 1)\n")).isEqualTo("sys.exit(code + 1)\n");
        }

        @Test
        void ellipsisMetavariablesTakeTheWholeRun() {
            String yaml = rule("python", "pattern: requests.get($URL, $...ARGS)\nfix: requests.get($URL, $...ARGS, timeout=30)");
            assertThat(fixed(yaml, "a.py", "requests.get(u, headers=h, verify = False)\n"))
                    .isEqualTo("requests.get(u, headers=h, verify = False, timeout=30)\n");
        }

        @Test
        void namesAreReadWholeAndUnboundOnesStay() {
            String yaml = rule("python", "pattern: f($X)\nfix: g($XY, $X, $Z)");
            assertThat(fixed(yaml, "a.py", "f(1)\n")).isEqualTo("g($XY, 1, $Z)\n");
        }

        @Test
        void aBlockScalarsFinalLineBreakIsNotPartOfTheFix() {
            String yaml = rule("python", "pattern: get($U, verify=False)\nfix: |\n  get($U, verify=True)\n");
            assertThat(fixed(yaml, "a.py", "get(u, verify=False)\nx = 1\n")).isEqualTo("get(u, verify=True)\nx = 1\n");
        }

        @Test
        void laterLinesOfAMultiLineFixTakeTheMatchedLinesIndentation() {
            String yaml = rule("python", """
                    pattern: $M.set_password($X)
                    fix: |
                      if validate($X):
                          $M.set_password($X)
                    """);
            assertThat(fixed(yaml, "a.py", "def f(u, p):\n    u.set_password(p)\n"))
                    .isEqualTo("def f(u, p):\n    if validate(p):\n        u.set_password(p)\n");
        }

        @Test
        void inACrLfFileTheFixUsesCrLf() {
            String yaml = rule("python", "pattern: old($X)\nfix: |\n  new($X)\n  log($X)\n");
            assertThat(fixed(yaml, "a.py", "if x:\r\n    old(1)\r\n")).isEqualTo("if x:\r\n    new(1)\r\n    log(1)\r\n");
        }

        @Test
        void unicodeInAndAroundTheMatch() {
            String yaml = rule("python", "pattern: exit($X)\nfix: sys.exit($X)");
            assertThat(fixed(yaml, "a.py", "s = '😀 ünï'; exit('αβγ 😀')\n")).isEqualTo("s = '😀 ünï'; sys.exit('αβγ 😀')\n");
        }

        @Test
        void aStatementFixReplacesTheStatementsSemicolon() {
            String yaml = rule("java", "pattern: $F.newDocumentBuilder();\nfix: |\n  $F.harden();\n  $F.newDocumentBuilder();\n");
            assertThat(fixed(yaml, "A.java", "class A { void m() {\n    f.newDocumentBuilder();\n} }\n"))
                    .isEqualTo("class A { void m() {\n    f.harden();\n    f.newDocumentBuilder();\n} }\n");
        }

        @Test
        void aFixThatWouldBeHugeIsRefusedWithAProblem() {
            // A template repeating a large capture 64 times: 64 x 40 000 chars is over the limit.
            String yaml = rule("python", "pattern: f($X)\nfix: " + "$X".repeat(64));
            ScanResult result = scanFiles(yaml, "a.py", "f('" + "a".repeat(40_000) + "')\n");
            assertThat(result.findings()).singleElement().satisfies(f -> assertThat(f.fix()).isNull());
            assertThat(result.problems()).extracting(ScanProblem::message)
                    .singleElement().asString().contains("no fix offered at line 1").contains("larger than");
        }

        @Test
        void theFindingCarriesTheFixedLines() {
            String yaml = rule("python", "pattern: exit($X)\nfix: sys.exit($X)");
            Finding finding = scan(yaml, "a.py", "if a: exit(2)  # done\r\n").get(0);
            assertThat(finding.fix().fixedLines()).isEqualTo("if a: sys.exit(2)  # done");
            assertThat(finding.fix().edit().replacement()).isEqualTo("sys.exit(2)");
        }
    }

    @Nested
    class Regexes {
        @Test
        void groupsAreReferencedByNumberAndName() {
            String yaml = rule("python", """
                    pattern: set_cookie(...)
                    fix-regex:
                      regex: (?P<call>.*)\\)
                      replacement: \\g<call>, secure=True)
                    """);
            assertThat(fixed(yaml, "a.py", "set_cookie('a', v)\n")).isEqualTo("set_cookie('a', v, secure=True)\n");
            String numbered = rule("python", "pattern: set_cookie(...)\nfix-regex:\n  regex: (.*)\\)\n  replacement: \\1, secure=True)\n");
            assertThat(fixed(numbered, "a.py", "set_cookie('a', v)\n")).isEqualTo("set_cookie('a', v, secure=True)\n");
        }

        @Test
        void everyOccurrenceUnlessCounted() {
            String all = rule("python", "pattern: get(...)\nfix-regex:\n  regex: '[Hh]ttp://'\n  replacement: https://\n");
            assertThat(fixed(all, "a.py", "get('http://a', 'Http://b')\n")).isEqualTo("get('https://a', 'https://b')\n");
            String once = rule("python", "pattern: get(...)\nfix-regex:\n  regex: '[Hh]ttp://'\n  replacement: https://\n  count: 1\n");
            assertThat(fixed(once, "a.py", "get('http://a', 'Http://b')\n")).isEqualTo("get('https://a', 'Http://b')\n");
        }

        /** fix-regex is PCRE in Semgrep (Autofix.regex_fix): lookahead and backreferences take part. */
        @Test
        void lookaroundAndBackreferencesAsInPcre() {
            String yaml = rule("python", "pattern: get(...)\nfix-regex:\n  regex: (['\"])http://(?!localhost)(.*?)\\1\n"
                    + "  replacement: \\1https://\\2\\1\n");
            assertThat(fixed(yaml, "a.py", "get('http://a', 'http://localhost')\n")).isEqualTo("get('https://a', 'http://localhost')\n");
        }

        @Test
        void onlyTheMatchedTextIsRewritten() {
            String yaml = rule("python", "pattern: md5(...)\nfix-regex:\n  regex: md5\n  replacement: sha256\n");
            assertThat(fixed(yaml, "a.py", "# md5 here\nmd5(data)\n")).isEqualTo("# md5 here\nsha256(data)\n");
        }

        @Test
        void emptyMatchesDoNotLoop() {
            String yaml = rule("python", "pattern: f(...)\nfix-regex:\n  regex: x*\n  replacement: '-'\n");
            assertThat(fixed(yaml, "a.py", "f(1)\n")).isEqualTo("-f-(-1-)-\n");
        }

        @Test
        void aRegexBombRunsInLinearTime() {
            // (a*)*b against 50 000 a's is exponential for a backtracking engine; RE2 answers at once.
            String yaml = rule("python", "pattern: f($X)\nfix-regex:\n  regex: (a*)*b\n  replacement: x\n");
            String source = "f('" + "a".repeat(50_000) + "')\n";
            assertThat(fixed(yaml, "a.py", source)).isEqualTo(source);
        }

        @Test
        void aReplacementRepeatingTheMatchIsCapped() {
            // Each of 20 000 a's becomes 100: two million characters, over the limit.
            String yaml = rule("python", "pattern: f($X)\nfix-regex:\n  regex: a\n  replacement: " + "b".repeat(100) + "\n");
            ScanResult result = scanFiles(yaml, "a.py", "f('" + "a".repeat(20_000) + "')\n");
            assertThat(result.findings()).singleElement().satisfies(f -> assertThat(f.fix()).isNull());
            assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("larger than"));
        }

        @Test
        void aReplacementNamingAMissingGroupIsAProblemNotACrash() {
            String yaml = rule("python", "pattern: f(...)\nfix-regex:\n  regex: f\n  replacement: \\3\n");
            ScanResult result = scanFiles(yaml, "a.py", "f(1)\n");
            assertThat(result.findings()).hasSize(1);
            assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("group 3"));
        }
    }

    @Nested
    class Loading {
        private RuleProblem problem(String body) {
            List<RuleProblem> problems = load(rule("python", "pattern: f()\n" + body)).problems();
            assertThat(problems).hasSize(1);
            return problems.get(0);
        }

        @Test
        void badFixesAreRuleProblemsNamingTheKey() {
            assertThat(problem("fix: x\nfix-regex: {regex: a, replacement: b}").reason()).contains("both 'fix' and 'fix-regex'");
            assertThat(problem("fix-regex: {regex: a}").reason()).contains("needs 'replacement'");
            assertThat(problem("fix-regex: {regex: a, replacement: b, count: many}").reason()).contains("'count' must be a whole number");
            assertThat(problem("fix-regex: {regex: a, replacement: b, count: -1}").reason()).contains("'count'");
            assertThat(problem("fix-regex: {regex: '(', replacement: b}").reason()).contains("bad regex");
            assertThat(problem("fix-regex: just text").reason()).contains("'fix-regex' must be a mapping");
            assertThat(problem("fix: [a, b]").reason()).contains("'fix' must be a string");
            RuleProblem conditional = problem("fix-regex: {regex: '(a)?(?(1)b|c)', replacement: c}");
            assertThat(conditional.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
        }

        @Test
        void aRuleWithoutAFixHasNone() {
            assertThat(rules(rule("python", "pattern: f()")).get(0).autofix()).isNull();
            assertThat(scan(rule("python", "pattern: f()"), "a.py", "f()\n").get(0).fix()).isNull();
        }
    }

    @Nested
    class FixedTestFiles {
        private static final String RULE = """
                rules:
                  - id: use-sys-exit
                    message: use sys.exit
                    severity: WARNING
                    languages: [python]
                    pattern: exit($X)
                    fix: sys.exit($X)
                  - id: no-print
                    message: no print
                    severity: INFO
                    languages: [python]
                    pattern: print(...)
                """;
        private static final String TARGET = "# ruleid: use-sys-exit\nexit(1)\n# ruleid: no-print\nprint(2)\n";

        private List<RuleTestResult> run() throws IOException {
            return new RuleTestRunner(loader(), scanner(false)).run(tmp.resolve("exit.yaml"), r -> { });
        }

        private static RuleTestResult result(List<RuleTestResult> results, String id) {
            return results.stream().filter(r -> r.ruleId().equals(id)).findFirst().orElseThrow();
        }

        @Test
        void aMatchingFixedFilePasses() throws IOException {
            write("exit.yaml", RULE);
            write("exit.py", TARGET);
            Path fixedFile = write("exit.fixed.py", TARGET.replace("exit(1)", "sys.exit(1)"));
            List<RuleTestResult> results = run();
            assertThat(result(results, "use-sys-exit").status()).isEqualTo(RuleTestResult.Status.PASSED);
            assertThat(result(results, "use-sys-exit").fixTests()).containsExactly(new RuleTestResult.FixTest(fixedFile, true));
            // The fixed file is not a test target of its own, and a rule without a fix is not judged by it.
            assertThat(result(results, "no-print").fixTests()).isEmpty();
            assertThat(results).hasSize(2);
        }

        @Test
        void aDifferingFixedFileFailsTheRuleWithADiff() throws IOException {
            write("exit.yaml", RULE);
            write("exit.py", TARGET);
            write("exit.fixed.py", TARGET.replace("exit(1)", "raise SystemExit(1)"));
            List<RuleTestResult> results = run();
            RuleTestResult fixRule = result(results, "use-sys-exit");
            assertThat(fixRule.status()).isEqualTo(RuleTestResult.Status.FAILED);
            assertThat(fixRule.reason()).isEqualTo(
                    "exit.fixed.py differs from the fixed test file: from line 2:\n  -raise SystemExit(1)\n  -# ruleid: no-print\n  -print(2)"
                            + "\n  +sys.exit(1)\n  +# ruleid: no-print\n  +print(2)");
            assertThat(fixRule.fixTests()).extracting(RuleTestResult.FixTest::passed).containsExactly(false);
            assertThat(result(results, "no-print").status()).isEqualTo(RuleTestResult.Status.PASSED);
        }

        @Test
        void withoutAFixedFileOnlyTheAnnotationsCount() throws IOException {
            write("exit.yaml", RULE);
            write("exit.py", TARGET);
            assertThat(run()).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(RuleTestResult.Status.PASSED);
                assertThat(r.fixTests()).isEmpty();
            });
        }
    }
}

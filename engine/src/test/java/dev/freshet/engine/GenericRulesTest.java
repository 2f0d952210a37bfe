package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.engine.testing.Annotations;
import dev.freshet.engine.testing.RuleTestResult;
import dev.freshet.engine.testing.RuleTestRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Rules in the generic and regex languages, and generic or regex metavariable-patterns, end to end. */
class GenericRulesTest extends EngineTestSupport {

    private static final String MANIFEST = """
            <manifest>
                <!-- <application android:usesCleartextTraffic="true"> -->
                <application
                    android:usesCleartextTraffic="true"
                    android:label="app">
                </application>
            </manifest>
            """;

    private RuleProblem onlyProblem(String yaml) {
        RuleSet set = load(yaml);
        assertThat(set.rules()).isEmpty();
        assertThat(set.problems()).hasSize(1);
        return set.problems().get(0);
    }

    @Nested
    class GenericLanguage {
        @Test
        void patternNotInsideLeavesOutCommentedCode() {
            List<Finding> findings = scan(rule("generic", """
                    patterns:
                      - pattern: android:usesCleartextTraffic="true"
                      - pattern-not-inside: <!-- ... -->
                    """), "AndroidManifest.xml", MANIFEST);
            assertThat(spans(findings)).containsExactly("4:9-4:44");
        }

        @Test
        void metavariableRegexAndPatternNotInsideWithBlocks() {
            String yaml = rule("generic", """
                    patterns:
                      - pattern: <form ... method="$METHOD" ...> ... </form>
                      - metavariable-regex:
                          metavariable: $METHOD
                          regex: (?i)post
                      - pattern-not-inside: <form ...> ... {% csrf_token %} ... </form>
                    """);
            List<Finding> findings = scan(yaml, "page.html", """
                    <form action="/a" method="post">
                      <input name="x">
                    </form>
                    <form action="/b" method="POST">
                      {% csrf_token %}
                    </form>
                    <form action="/c" method="get">
                    </form>
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }

        @Test
        void messagesShowWhatMetavariablesCaptured() {
            List<Finding> findings = scan(rule("t", "generic", "WARNING", "$KEY is set to$...VALUE", """
                    pattern: $KEY = $...VALUE
                    options:
                      generic_ellipsis_max_span: 0
                    """), "app.properties", "user = admin\npassword = s3cr3t!\n");
            assertThat(messages(findings)).containsExactly("user is set to admin", "password is set to s3cr3t!");
            assertThat(codes(findings)).containsExactly("user = admin", "password = s3cr3t!");
        }

        @Test
        void withoutTheSpanOptionAnEllipsisRunsOverLines() {
            List<Finding> findings = scan(rule("generic", "pattern: user = $...VALUE"), "app.properties",
                    "user = admin\npassword = s3cr3t!\n");
            assertThat(codes(findings)).containsExactly("user = admin\npassword = s3cr3t!");
        }

        @Test
        void focusMetavariableNarrowsToTheCapture() {
            List<Finding> findings = scan(rule("generic", """
                    patterns:
                      - pattern: password = $SECRET
                      - focus-metavariable: $SECRET
                    """), "db.conf", "host = h\n  password = hunter2\n");
            assertThat(spans(findings)).containsExactly("2:14-2:21");
        }

        @Test
        void metavariableComparisonOnCapturedWords() {
            List<Finding> findings = scan(rule("generic", """
                    patterns:
                      - pattern: max_connections = $N
                      - metavariable-comparison:
                          metavariable: $N
                          comparison: $N > 100
                    """), "server.cfg", "max_connections = 50\nmax_connections = 500\n");
            assertThat(lines(findings)).containsExactly(2);
        }

        @Test
        void patternInsideLimitsToTheEnclosingBlock() {
            List<Finding> findings = scan(rule("generic", """
                    patterns:
                      - pattern-inside: |
                          [system]
                            ...
                      - pattern: name = $N
                    """), "config.toml", "[system]\n  name = debian\n[user]\n  name = admin\n");
            assertThat(lines(findings)).containsExactly(2);
        }

        @Test
        void metavariablePatternWithoutLanguageReadsTheCaptureAsGeneric() {
            String yaml = rule("generic", """
                    patterns:
                      - pattern: ={{$...VAR}}
                      - metavariable-pattern:
                          metavariable: $...VAR
                          pattern: request.$W.get(...)
                    """);
            List<Finding> findings = scan(yaml, "t.html", """
                    <input value={{ request.args.get('a') }}>
                    <input value={{ name }}>
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }

        @Test
        void fixesUseWhatTheEllipsisMetavariableCaptured() {
            List<Finding> findings = scan(rule("generic", """
                    pattern: ={{$...VAR}}
                    fix: ="{{$...VAR}}"
                    """), "t.html", "<input value={{ x }}/>\n");
            assertThat(findings).singleElement().satisfies(f ->
                    assertThat(f.fix().edit().replacement()).isEqualTo("=\"{{ x}}\""));
        }
    }

    @Nested
    class RegexLanguage {
        @Test
        void regexRulesReadAnyFile() {
            ScanResult result = scanFiles(rule("regex", "pattern-regex: (?i)api[_-]?key\\s*=\\s*\\w+"),
                    "Dockerfile", "ENV API_KEY=abc\n",
                    "notes.txt", "nothing here\n",
                    "app.py", "x = 1\napi_key = secret\n");
            assertThat(result.findings()).extracting(f -> f.file().getFileName().toString(), Finding::startLine)
                    .containsExactly(tuple("Dockerfile", 1), tuple("app.py", 2));
        }

        @Test
        void everyPatternOfARegexRuleIsARegex() {
            List<Finding> findings = scan(rule("regex", """
                    patterns:
                      - pattern-regex: \\bws://
                      - pattern-not-inside: \\bws://localhost.*
                      - pattern-not: ws://127
                    """), "client.js", """
                    connect("ws://example.com/feed");
                    connect("ws://localhost:8080/");
                    connect("wss://example.com/");
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }

        @Test
        void noneIsAnotherNameForRegex() {
            List<Finding> findings = scan(rule("none", "pattern-either:\n  - pattern-regex: TODO\n  - pattern-regex: FIXME"),
                    "README", "TODO: a\nok\nFIXME b\n");
            assertThat(lines(findings)).containsExactly(1, 3);
        }

        /** Semgrep's regexes are PCRE: a negative lookahead excludes what follows it. */
        @Test
        void lookaroundRunsAsInPcre() {
            List<Finding> findings = scan(rule("regex", "pattern-regex: \\$\\{(?!.*escapeXml).*\\}"),
                    "page.jsp", "<p>${name}</p>\n<p>${fn:escapeXml(name)}</p>\n<p>${other}</p>\n");
            assertThat(lines(findings)).containsExactly(1, 3);
        }
    }

    @Nested
    class MetavariablePatterns {
        @Test
        void genericLanguageOnAPythonString() {
            String yaml = rule("python", """
                    patterns:
                      - pattern: '"$HTML" + $X'
                      - metavariable-pattern:
                          metavariable: $HTML
                          language: generic
                          pattern: <$TAG ...
                    """);
            List<Finding> findings = scan(yaml, "views.py", """
                    a = "<div class='x'>" + name
                    b = "hello " + name
                    c = "a <= b" + name
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }

        @Test
        void regexLanguageOnACapturedString() {
            String yaml = rule("python", """
                    patterns:
                      - pattern: requests.get("$URL")
                      - metavariable-pattern:
                          metavariable: $URL
                          language: regex
                          patterns:
                            - pattern-regex: ^http://
                            - pattern-not-regex: ^http://localhost
                    """);
            List<Finding> findings = scan(yaml, "client.py", """
                    requests.get("http://example.com")
                    requests.get("http://localhost:8000")
                    requests.get("https://example.com")
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }

        @Test
        void aRegexCaptureIsReadAgainInTheRulesLanguage() {
            String yaml = rule("python", """
                    patterns:
                      - pattern-regex: 'run = (?P<CALL>.*)'
                      - metavariable-pattern:
                          metavariable: $CALL
                          pattern: os.system(...)
                    """);
            List<Finding> findings = scan(yaml, "cfg.py", """
                    run = os.system(cmd)
                    run = print(cmd)
                    """);
            assertThat(lines(findings)).containsExactly(1);
        }
    }

    @Nested
    class FileSelection {
        @Test
        void textRulesReadEveryTextFileAndParsedRulesOnlyTheirOwn() {
            String yaml = rule("any-text", "generic", "INFO", "eval", "pattern: eval ( ... )")
                    + rule("python-only", "python", "INFO", "eval", "pattern: eval(...)").replaceFirst("rules:\n", "");
            ScanResult result = scanFiles(yaml,
                    "page.html", "<script>eval(input)</script>\n",
                    "run.sh", "eval(\"$CMD\")\n",
                    "app.py", "eval(x)\n");
            assertThat(result.findings()).extracting(Finding::ruleId, f -> f.file().getFileName().toString())
                    .containsExactlyInAnyOrder(tuple("any-text", "page.html"), tuple("any-text", "run.sh"),
                            tuple("any-text", "app.py"), tuple("python-only", "app.py"));
        }

        @Test
        void pathFiltersChooseTheFiles() {
            String yaml = rule("generic", """
                    pattern: TODO
                    paths:
                      include: ["*.html", "*.jsp"]
                      exclude: ["vendor/"]
                    """);
            ScanResult result = scanFiles(yaml,
                    "a.html", "TODO\n", "b.jsp", "TODO\n", "c.txt", "TODO\n", "vendor/d.html", "TODO\n");
            assertThat(result.findings()).extracting(f -> f.file().getFileName().toString())
                    .containsExactlyInAnyOrder("a.html", "b.jsp");
        }

        @Test
        void withoutTextRulesFilesOfNoLanguageAreNotRead() {
            ScanResult result = scanFiles(rule("python", "pattern: eval(...)"), "notes.txt", "eval(x)\n", "app.py", "x = 1\n");
            assertThat(result.findings()).isEmpty();
            assertThat(result.linesScanned()).isEqualTo(1); // app.py only
        }

        @Test
        void binaryFilesAreLeftOutBeforeTextRulesSeeThem() throws IOException {
            write("src/page.html", "<b>secret</b>\n");
            Files.write(tmp.resolve("src/image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 's', 'e', 'c', 'r', 'e', 't'});
            SourceFiles.Selection selection = new SourceFiles().collect(List.of(tmp.resolve("src")));
            ScanResult result = scanner(true).scan(rules(rule("regex", "pattern-regex: secret")), selection.files(), tmp, n -> { });
            assertThat(result.findings()).extracting(f -> f.file().getFileName().toString()).containsExactly("page.html");
            assertThat(result.linesScanned()).as("the image is not read as text").isEqualTo(1);
        }
    }

    @Nested
    class Loading {
        @Test
        void unsupportedGenericOptionsAreReported() {
            RuleProblem comments = onlyProblem(rule("generic", "pattern: a\noptions:\n  generic_comment_style: c"));
            assertThat(comments.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
            assertThat(comments.reason()).contains("generic_comment_style");
            RuleProblem aliengrep = onlyProblem(rule("generic", "pattern: a\noptions:\n  generic_engine: aliengrep"));
            assertThat(aliengrep.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
        }

        @Test
        void genericOptionsOfARuleWithoutGenericPatternsDoNotMatter() {
            assertThat(rules(rule("python", "pattern: eval(...)\noptions:\n  generic_comment_style: shell"))).hasSize(1);
        }

        @Test
        void badSpanIsInvalid() {
            RuleProblem problem = onlyProblem(rule("generic", "pattern: a\noptions:\n  generic_ellipsis_max_span: many"));
            assertThat(problem.kind()).isEqualTo(RuleProblem.Kind.INVALID);
            assertThat(problem.reason()).contains("generic_ellipsis_max_span");
        }

        @Test
        void ambiguousEllipsesAreInvalid() {
            RuleProblem problem = onlyProblem(rule("generic", "pattern: a ... $...X"));
            assertThat(problem.kind()).isEqualTo(RuleProblem.Kind.INVALID);
            assertThat(problem.reason()).contains("generic pattern");
        }

        @Test
        void taintModeAndTypesNeedAParsedLanguage() {
            RuleProblem taint = onlyProblem(rule("generic", """
                    mode: taint
                    pattern-sources: [pattern: a]
                    pattern-sinks: [pattern: b]
                    """));
            assertThat(taint.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
            RuleProblem type = onlyProblem(rule("generic", """
                    patterns:
                      - pattern: $X
                      - metavariable-type:
                          metavariable: $X
                          type: String
                    """));
            assertThat(type.kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
            assertThat(type.reason()).contains("metavariable-type");
        }
    }

    @Nested
    class RuleTests {
        private List<RuleTestResult> run(Path path) throws IOException {
            return new RuleTestRunner(loader(), scanner(false)).run(path, r -> { });
        }

        @Test
        void templateFilesAreTestTargetsWithTheirOwnCommentSyntax() throws IOException {
            Path rules = write("t/unescaped.yaml", rule("unescaped", "generic", "WARNING", "unescaped", "pattern: '{{ ... | safe }}'"));
            write("t/unescaped.html", """
                    <!-- ruleid: unescaped -->
                    <p>{{ body | safe }}</p>
                    {# ok: unescaped #}
                    <p>{{ body }}</p>
                    """);
            write("t/unescaped.jsp", """
                    <%-- ruleid: unescaped --%>
                    <p>{{ x | safe }}</p>
                    """);
            List<RuleTestResult> results = run(rules);
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).as(r.reason()).isEqualTo(RuleTestResult.Status.PASSED);
            });
        }

        @Test
        void aMissedFindingInATemplateFails() throws IOException {
            Path rules = write("t/r.yaml", rule("r", "regex", "WARNING", "r", "pattern-regex: v-html="));
            write("t/r.vue", """
                    <template>
                      <!-- ruleid: r -->
                      <div v-html="x"></div>
                      <!-- ruleid: r -->
                      <div v-text="x"></div>
                    </template>
                    """);
            List<RuleTestResult> results = run(rules);
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(RuleTestResult.Status.FAILED);
                assertThat(r.reason()).contains("missed [5]");
            });
        }

        @Test
        void commentFormsOfTemplatesAndProEngineAnnotations() {
            Annotations a = Annotations.parse("""
                    {# ruleid: jinja #}
                    x
                    <%-- ruleid: jsp --%>
                    x
                    <%# ok: erb %>
                    x
                    (* ruleid: ocaml *)
                    x
                    // ruleid: deepok: oss-finds-it
                    x
                    // proruleid: pro-only
                    x
                    """);
            assertThat(a.expectedLines("jinja")).containsExactly(2);
            assertThat(a.expectedLines("jsp")).containsExactly(4);
            assertThat(a.expected()).containsEntry("erb", java.util.Set.of());
            assertThat(a.expectedLines("ocaml")).containsExactly(8);
            assertThat(a.expectedLines("oss-finds-it")).containsExactly(10);
            assertThat(a.expected()).doesNotContainKey("pro-only");
        }
    }
}

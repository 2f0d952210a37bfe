package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleReader;
import dev.freshet.engine.rules.RuleProblem.Kind;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.rules.YamlInput;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken, unsupported and hostile rule files: each problem names its rule and line; the rest still loads. */
class RuleLoadingTest extends EngineTestSupport {

    private static final String GOOD_RULE = """
            - id: good
              languages: [python]
              severity: ERROR
              message: m
              pattern: eval(...)
            """;

    private RuleProblem onlyProblem(RuleSet set) {
        assertThat(set.problems()).hasSize(1);
        return set.problems().get(0);
    }

    @Test
    void validRuleLoadsWithItsFields() {
        RuleSet set = load("""
                rules:
                - id: first
                  languages: [python, js]
                  severity: WARNING
                  message: |
                    Do not do that.
                  pattern: eval(...)
                """);
        assertThat(set.problems()).isEmpty();
        assertThat(set.rules()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("first");
            assertThat(r.message()).isEqualTo("Do not do that.");
            assertThat(r.line()).isEqualTo(2);
            assertThat(r.origin()).isEqualTo(tmp.resolve("rules.yaml"));
            assertThat(r.languages()).extracting(l -> l.id()).containsExactly("python", "javascript");
        });
    }

    @Test
    void truncatedFileIsInvalidYaml() {
        RuleSet set = load("rules:\n"
                + "- id: a\n"
                + "  languages: [python]\n"
                + "  severity: ERROR\n"
                + "  message: m\n"
                + "  pattern: foo()\n"
                + "- id: b\n"
                + "  languages: [python, java");
        RuleProblem problem = onlyProblem(set);
        assertThat(set.rules()).isEmpty();
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.ruleId()).isNull();
        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.reason()).startsWith("not valid YAML");
    }

    @Test
    void fileWithoutRulesList() {
        RuleProblem problem = onlyProblem(load("""
                checks:
                  - id: x
                """));
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("rules:");
    }

    @Test
    void emptyFile() {
        RuleSet set = load("");
        assertThat(set.rules()).isEmpty();
        assertThat(onlyProblem(set).kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void missingIdIsReportedAtTheRuleAndOtherRulesLoad() {
        RuleSet set = load("""
                rules:
                - languages: [python]
                  severity: ERROR
                  message: m
                  pattern: foo()
                """ + GOOD_RULE);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("good");
        RuleProblem problem = onlyProblem(set);
        assertThat(problem.ruleId()).isNull();
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("'id'");
    }

    @Test
    void missingMessage() {
        RuleSet set = load("""
                rules:
                """ + GOOD_RULE + """
                - id: no-message
                  languages: [python]
                  severity: ERROR
                  pattern: foo()
                """);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("good");
        RuleProblem problem = onlyProblem(set);
        assertThat(problem.ruleId()).isEqualTo("no-message");
        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("'message'");
    }

    @Test
    void missingSeverity() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: no-severity
                  languages: [python]
                  message: m
                  pattern: foo()
                """));
        assertThat(problem.ruleId()).isEqualTo("no-severity");
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.reason()).contains("'severity'");
    }

    @Test
    void unknownSeverity() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: bad-severity
                  languages: [python]
                  severity: FATAL
                  message: m
                  pattern: foo()
                """));
        assertThat(problem.ruleId()).isEqualTo("bad-severity");
        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("FATAL");
    }

    @Test
    void missingLanguages() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: no-languages
                  severity: ERROR
                  message: m
                  pattern: foo()
                """));
        assertThat(problem.ruleId()).isEqualTo("no-languages");
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("'languages'");
    }

    @Test
    void missingPattern() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: no-pattern
                  languages: [python]
                  severity: ERROR
                  message: m
                """));
        assertThat(problem.ruleId()).isEqualTo("no-pattern");
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void unknownOperatorUnderPatterns() {
        RuleSet set = load("""
                rules:
                - id: unknown-op
                  languages: [python]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern: foo(...)
                    - pattern-sometimes: bar(...)
                """ + GOOD_RULE);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("good");
        RuleProblem problem = onlyProblem(set);
        assertThat(problem.ruleId()).isEqualTo("unknown-op");
        assertThat(problem.line()).isEqualTo(8);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("pattern-sometimes");
    }

    @Test
    void patternThatDoesNotParse() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: unparsable
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: def (
                """));
        assertThat(problem.ruleId()).isEqualTo("unparsable");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("does not parse");
    }

    /**
     * Patterns cut off mid-call: tree-sitter finishes them with invented closing brackets, which
     * are punctuation and never nodes; such a pattern is a compile error at its line, not a
     * pattern that silently matches nothing.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "python|$M.find(((",
            "python|foo(bar(",
            "javascript|$M.find(((",
            "typescript|$M.find(((",
            "java|$M.find(((",
            "go|$M.Find(((",
            "ruby|$M.find(((",
            "php|$M->find(((",
    })
    void patternMissingItsClosingBracketsIsACompileError(String language, String pattern) {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: truncated
                  languages: [%s]
                  severity: ERROR
                  message: m
                  pattern: %s
                """.formatted(language, quoted(pattern))));
        assertThat(problem.ruleId()).isEqualTo("truncated");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("does not parse");
    }

    @Test
    void theSamePatternsClosedStillCompileAndMatch() {
        List<Finding> findings = scan(rule("python", "pattern: $M.find(((1)))"), "x.py", "db.find(((1)))\ndb.find(2)\n");
        assertThat(lines(findings)).containsExactly(1);
    }

    @Test
    void badPatternRegex() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: bad-regex
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern-regex: "password=(unclosed"
                """));
        assertThat(problem.ruleId()).isEqualTo("bad-regex");
        assertThat(problem.line()).isEqualTo(6);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).contains("bad regex");
    }

    @Test
    void badMetavariableRegex() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: bad-mv-regex
                  languages: [python]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern: hashlib.$F(...)
                    - metavariable-regex:
                        metavariable: $F
                        regex: "[md5"
                """));
        assertThat(problem.ruleId()).isEqualTo("bad-mv-regex");
        assertThat(problem.line()).isEqualTo(10);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void badComparison() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: bad-comparison
                  languages: [python]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern: f($N)
                    - metavariable-comparison:
                        metavariable: $N
                        comparison: $N >
                """));
        assertThat(problem.ruleId()).isEqualTo("bad-comparison");
        assertThat(problem.line()).isEqualTo(10);
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void modesOtherThanSearchAndTaintAreUnsupported() {
        RuleSet set = load("""
                rules:
                - id: join-rule
                  mode: join
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern-sources:
                    - pattern: input()
                  pattern-sinks:
                    - pattern: eval(...)
                """ + GOOD_RULE);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("good");
        RuleProblem problem = onlyProblem(set);
        assertThat(problem.ruleId()).isEqualTo("join-rule");
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(problem.reason()).isEqualTo("join mode");
        assertThat(problem.toString()).contains("rules.yaml:3", "rule join-rule", "unsupported: join mode");
    }

    @Test
    void unknownLanguageIsUnsupported() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: cobol-rule
                  languages:
                    - python
                    - cobol
                  severity: ERROR
                  message: m
                  pattern: foo()
                """));
        assertThat(problem.ruleId()).isEqualTo("cobol-rule");
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(problem.reason()).contains("cobol");
    }

    @Test
    void typedMetavariableLoads() {
        assertThat(load("""
                rules:
                - id: typed
                  languages: [java]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern: $X == (String $Y)
                """).problems()).isEmpty();
    }

    @Test
    void pcreConditionalGroupIsUnsupported() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: conditional
                  languages: [python]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern-regex: password(?(1)a|b)
                """));
        assertThat(problem.ruleId()).isEqualTo("conditional");
        assertThat(problem.line()).isEqualTo(7);
        assertThat(problem.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(problem.reason()).contains("PCRE conditional group");
    }

    @Test
    void unsupportedOperatorIsReportedAsUnsupported() {
        RuleProblem problem = onlyProblem(load("""
                rules:
                - id: analysis
                  languages: [python]
                  severity: ERROR
                  message: m
                  patterns:
                    - pattern: f($X)
                    - metavariable-analysis:
                        analyzer: redos
                        metavariable: $X
                """));
        assertThat(problem.ruleId()).isEqualTo("analysis");
        assertThat(problem.line()).isEqualTo(9);
        assertThat(problem.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(problem.reason()).isEqualTo("metavariable-analysis redos");
    }

    @Test
    void oneBadRuleDoesNotStopTheOthers() {
        RuleSet set = load("""
                rules:
                - id: first
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: a()
                - id: broken
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern-regex: "("
                - id: taint
                  mode: join
                  languages: [python]
                  severity: ERROR
                  message: m
                - id: last
                  languages: [python]
                  severity: ERROR
                  message: m
                  pattern: b()
                """);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("first", "last");
        assertThat(set.problems()).extracting(RuleProblem::ruleId, RuleProblem::line, RuleProblem::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("broken", 11, Kind.INVALID),
                        org.assertj.core.groups.Tuple.tuple("taint", 13, Kind.UNSUPPORTED));
        List<Finding> findings = scanner(true).scan(set.rules(), List.of(write("t.py", "a()\nb()\n")), tmp, n -> { })
                .findings();
        assertThat(linesByRule(findings)).containsExactly(
                java.util.Map.entry("first", List.of(1)), java.util.Map.entry("last", List.of(2)));
    }

    @Test
    void loadingFromFilesAndDirectories() {
        write("rules/a.yaml", "rules:\n" + GOOD_RULE);
        write("rules/sub/b.yml", "rules:\n" + GOOD_RULE.replace("id: good", "id: other"));
        write("rules/a.test.yaml", "rules: [");
        write("rules/notes.txt", "not a rule");
        RuleSet set = loader().load(List.of(tmp.resolve("rules"), tmp.resolve("missing.yaml")));
        assertThat(set.rules()).extracting(Rule::id).containsExactly("good", "other");
        assertThat(set.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(tmp.resolve("missing.yaml"));
            assertThat(p.kind()).isEqualTo(Kind.INVALID);
        });
    }

    @Test
    void yamlAliasBombIsRejectedQuickly() {
        StringBuilder yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            yaml.append("]\n");
            previous = c;
        }
        yaml.append("rules:\n- id: bomb\n  languages: [python]\n  severity: ERROR\n  message: *j\n  pattern: f()\n");
        RuleSet set = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> load(yaml.toString()));
        assertThat(set.rules()).isEmpty();
        assertThat(onlyProblem(set).kind()).isEqualTo(Kind.INVALID);
    }

    @Test
    void yamlNestedTwoHundredThousandLevelsIsRefusedWithItsLineNotAStackOverflow() {
        String flow = "rules: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n";
        RuleProblem problem = onlyProblem(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> load(flow)));
        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.reason()).isEqualTo("refused: collections nested deeper than " + YamlInput.MAX_DEPTH + " levels");
        assertThat(problem.line()).isEqualTo(1);

        // Block style, one level a line: the refusal names the line where the limit was crossed.
        StringBuilder block = new StringBuilder("rules:\n");
        for (int level = 1; level < 150; level++) {
            block.append(" ".repeat(level)).append("k").append(level).append(":\n");
        }
        assertThat(onlyProblem(load(block.toString())).line()).as("the mapping on line N is at depth N").isEqualTo(YamlInput.MAX_DEPTH + 1);
    }

    @Test
    void aPatternOfOneHundredTenThousandTermsIsRefusedBeforeItIsCompiled() {
        String huge = "a" + " + a".repeat(110_000);
        RuleProblem problem = onlyProblem(assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> load(rule("python", "pattern: " + huge))));
        assertThat(problem.ruleId()).isEqualTo("test");
        assertThat(problem.reason()).isEqualTo("a pattern of " + huge.length() + " characters, over the limit of "
                + RuleReader.MAX_PATTERN_CHARS);
        assertThat(problem.line()).isEqualTo(6);
    }

    @Test
    void aRuleOfMoreValuesThanTheLimitIsRefused() {
        StringBuilder either = new StringBuilder("pattern-either:\n");
        for (int i = 0; i < RuleReader.MAX_RULE_VALUES; i++) {
            either.append("  - pattern: f").append(i).append("()\n");
        }
        RuleProblem problem = onlyProblem(load(rule("python", either.toString())));
        assertThat(problem.reason()).startsWith("the rule has ").endsWith("YAML values, over the limit of "
                + RuleReader.MAX_RULE_VALUES + "; split it");
    }

    @Test
    void deeplyNestedSourceDoesNotBreakTheScan() {
        int depth = 100_000;
        String deep = "x = " + "(".repeat(depth) + "1" + ")".repeat(depth) + "\nfoo(1)\n";
        List<Path> files = List.of(write("deep.py", deep), write("plain.py", "foo(2)\n"));
        List<Rule> rules = rules(pattern("python", "foo(...)"));
        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> scanner(true).scan(rules, files, tmp, n -> { }));
        assertThat(result.findings()).extracting(f -> f.file().getFileName().toString(), Finding::startLine)
                .contains(org.assertj.core.groups.Tuple.tuple("plain.py", 1));
        boolean deepFound = result.findings().stream().anyMatch(f -> f.file().endsWith("deep.py") && f.startLine() == 2);
        boolean deepReported = result.problems().stream().anyMatch(p -> p.file().endsWith("deep.py"));
        assertThat(deepFound || deepReported).as("deep.py either matched on line 2 or has a scan problem").isTrue();
    }

    @Test
    void catastrophicBacktrackingRegexRunsInLinearTime() {
        String source = "s = '" + "a".repeat(200_000) + "b'\n";
        List<Rule> rules = rules(rule("python", "pattern-regex: (a+)+$"));
        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> scanner(true).scan(rules, List.of(write("t.py", source)), tmp, n -> { }));
        assertThat(result.findings()).isEmpty();
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void catastrophicBacktrackingInMetavariableRegex() {
        String source = "f('" + "a".repeat(100_000) + "b')\n";
        List<Rule> rules = rules(rule("python", """
                patterns:
                  - pattern: f($S)
                  - metavariable-regex:
                      metavariable: $S
                      regex: "'(a|aa)+c"
                """));
        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> scanner(true).scan(rules, List.of(write("t.py", source)), tmp, n -> { }));
        assertThat(result.findings()).isEmpty();
    }

    /**
     * A backtracking regex that explodes on one file is given up there with a clear problem (PCRE's match
     * limit), while it still runs on the other file and the other rules run everywhere.
     */
    @Test
    void catastrophicBacktrackingIsGivenUpForThatRuleAndFileOnly() {
        List<Rule> rules = new ArrayList<>(rules(rule("explosive", "generic", "ERROR", "m", "pattern-regex: (?<!y)(x+x+)+y")));
        rules.addAll(rules(rule("plain", "generic", "ERROR", "m", "pattern-regex: x{3}")));
        List<Path> files = List.of(write("hostile.txt", "x".repeat(20_000) + "\n"), write("benign.txt", "xxxy\n"));
        ScanResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> scanner(true).scan(rules, files, tmp, n -> { }));
        assertThat(result.findings()).extracting(f -> f.ruleId() + "@" + f.file().getFileName())
                .contains("explosive@benign.txt", "plain@benign.txt", "plain@hostile.txt")
                .doesNotContain("explosive@hostile.txt");
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.file().getFileName().toString()).isEqualTo("hostile.txt");
            assertThat(problem.ruleId()).isEqualTo("explosive");
            assertThat(problem.kind()).isEqualTo(ScanProblem.Kind.RULE_ERROR);
            assertThat(problem.message()).contains("match limit");
        });
    }

    /** Semgrep's entropy analyzer keeps a string literal whose unquoted value looks random, not a word or a run. */
    @Test
    void entropyAnalysisKeepsRandomLookingStrings() {
        List<Rule> rules = rules(rule("python", """
                patterns:
                  - pattern: token = "$VALUE"
                  - metavariable-analysis:
                      analyzer: entropy
                      metavariable: $VALUE
                """));
        Path file = write("t.py", """
                token = "q8ZrX2vLk0PnT4wYb7HcJ1sD"
                token = "the weather is nice and warm today"
                token = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                token = "f00d"
                """);
        ScanResult result = scanner(true).scan(rules, List.of(file), tmp, n -> { });
        assertThat(result.findings()).extracting(Finding::startLine).containsExactly(1);
    }
}

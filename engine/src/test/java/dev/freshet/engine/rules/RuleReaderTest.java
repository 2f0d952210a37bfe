package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.rules.RuleDefinition.Readable;
import dev.freshet.engine.rules.RuleDefinition.Unreadable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule is read once into types, before anything is compiled; problems name the file, rule and line. */
class RuleReaderTest {
    private static final Path FILE = Path.of("team/rules.yaml");

    private static RuleDefinition only(String yaml) {
        RuleReader.RuleFile read = RuleReader.read(FILE, yaml);
        assertThat(read.problems()).isEmpty();
        assertThat(read.rules()).hasSize(1);
        return read.rules().get(0);
    }

    private static Readable readable(RuleDefinition rule) {
        assertThat(rule.body()).isInstanceOf(Readable.class);
        return (Readable) rule.body();
    }

    @Test
    void formulaIsReadIntoTypedOperatorsWithTheirLines() {
        RuleDefinition rule = only("""
                rules:
                - id: tainted-exec
                  languages: [python]
                  severity: ERROR
                  message: m
                  metadata: {category: Security, cwe: CWE-78}
                  patterns:
                    - pattern-inside: |
                        def $F(...):
                          ...
                    - pattern-either:
                        - pattern: os.system($X)
                        - pattern-regex: subprocess\\.call
                    - pattern-not: os.system("ls")
                    - metavariable-regex: {metavariable: $X, regex: ^cmd}
                    - metavariable-comparison: {metavariable: $N, comparison: $N > 2}
                    - focus-metavariable: $X
                """);

        assertThat(rule.id()).isEqualTo("tainted-exec");
        assertThat(rule.isSecurity()).as("category compared in lower case").isTrue();
        assertThat(rule.metadata()).containsEntry("cwe", "CWE-78");
        Readable body = readable(rule);
        assertThat(body.severity()).isEqualTo(Severity.ERROR);
        assertThat(body.languages()).containsExactly(Language.PYTHON);
        Operator.All all = (Operator.All) ((RuleDefinition.Search) body.matching()).formula();
        assertThat(all.line()).isEqualTo(8);
        assertThat(all.clauses()).hasSize(6);
        assertThat(all.clauses().get(0)).isEqualTo(new Operator.Inside(new Operator.Pattern("def $F(...):\n  ...\n", 8)));
        assertThat(all.clauses().get(1)).isEqualTo(new Operator.Match(new Operator.Either(List.of(
                new Operator.Pattern("os.system($X)", 12), new Operator.Regex("subprocess\\.call", 13)), 12)));
        assertThat(all.clauses().get(2)).isEqualTo(new Operator.Not(new Operator.Pattern("os.system(\"ls\")", 14)));
        assertThat(all.clauses().get(3)).isEqualTo(new Operator.MetavariableRegex("$X", new Operator.Regex("^cmd", 15), 15));
        assertThat(all.clauses().get(4)).isInstanceOfSatisfying(Operator.MetavariableComparison.class,
                c -> assertThat(c.metavariable()).isEqualTo("$N"));
        assertThat(all.clauses().get(5)).isEqualTo(new Operator.Focus(List.of("$X")));
    }

    @Test
    void eitherOfInsidesConstrainsAsOneInside() {
        Readable body = readable(only("""
                rules:
                - id: r
                  languages: [python]
                  severity: INFO
                  message: m
                  patterns:
                    - pattern-either:
                        - pattern-inside: "with open($F): ..."
                        - pattern-inside: "for $X in $Y: ..."
                    - pattern: read()
                """));
        Operator.All all = (Operator.All) ((RuleDefinition.Search) body.matching()).formula();
        assertThat(all.clauses().get(0)).isInstanceOfSatisfying(Operator.Inside.class,
                inside -> assertThat(((Operator.Either) inside.formula()).alternatives()).hasSize(2));
    }

    @Test
    void taintSpecHoldsOperatorsAndLabels() {
        Readable body = readable(only("""
                rules:
                - id: t
                  mode: taint
                  languages: [python]
                  severity: WARNING
                  message: m
                  pattern-sources:
                    - pattern: input()
                      label: USER
                  pattern-sinks:
                    - pattern: eval(...)
                      requires: USER
                """));
        TaintSpec<Operator> spec = ((RuleDefinition.Taint) body.matching()).spec();
        assertThat(spec.labels()).containsExactly(TaintSpec.DEFAULT_LABEL, "USER");
        assertThat(spec.sources()).singleElement().satisfies(s -> {
            assertThat(s.formula()).isEqualTo(new Operator.Pattern("input()", 8));
            assertThat(s.label()).isEqualTo(1);
        });
        assertThat(spec.sinks().get(0).requires().test(0b10)).isTrue();
        assertThat(spec.sinks().get(0).requires().test(0b01)).isFalse();
    }

    @Test
    void unsupportedOperatorIsNamedWithItsLineAndTheRulesAroundItAreRead() {
        RuleReader.RuleFile read = RuleReader.read(FILE, """
                rules:
                - id: analysis
                  languages: [python]
                  severity: INFO
                  message: m
                  patterns:
                    - pattern: f($X)
                    - metavariable-name: {metavariable: $X, module: os}
                - id: fine
                  languages: [python]
                  severity: INFO
                  message: m
                  pattern: g()
                """);
        assertThat(read.rules()).extracting(RuleDefinition::id).containsExactly("analysis", "fine");
        assertThat(read.rules().get(0).body()).isEqualTo(new Unreadable(
                new RuleProblem(FILE, "analysis", 8, RuleProblem.Kind.UNSUPPORTED, "metavariable-name")));
        assertThat(((Unreadable) read.rules().get(0).body()).problem().toString())
                .isEqualTo(FILE + ":8 rule analysis: unsupported: metavariable-name");
        assertThat(read.rules().get(1).body()).isInstanceOf(Readable.class);
    }

    @Test
    void aRuleForANewerEngineKeepsItsVersionsWhenItsBodyCannotBeRead() {
        RuleDefinition rule = only("""
                rules:
                - id: future
                  min-version: 2.0.0
                  languages: [python]
                  severity: ERROR
                  message: m
                  match: {anywhere: f()}
                """);
        assertThat(rule.minVersion()).contains("2.0.0");
        assertThat(rule.severity()).isEmpty();
        assertThat(((Unreadable) rule.body()).problem().kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
    }

    @Test
    void malformedPartsAreInvalidWithTheirLines() {
        record Case(String yaml, int line, String reason) {
        }
        String head = "rules:\n- id: r\n  languages: [python]\n  severity: ERROR\n  message: m\n";
        for (Case c : List.of(
                new Case(head + "  pattern-regex: '(unclosed'\n", 6, "bad regex: "),
                new Case(head + "  patterns:\n    - focus-metavariable: $X\n", 7, "'patterns' needs at least one pattern"),
                new Case(head + "  pattern: [a, b]\n", 6, "a pattern must be a string"),
                new Case(head + "  patterns:\n    - pattern: f()\n    - metavariable-comparison: {comparison: '$X >'}\n", 8,
                        "bad comparison: "),
                new Case("rules:\n- id: r\n  languages: [python]\n  severity: ERROR\n  message: m\n  pattern: a\n  pattern-regex: b\n",
                        2, "has more than one of pattern, pattern-regex; combine them under 'patterns'"))) {
            RuleProblem problem = ((Unreadable) only(c.yaml()).body()).problem();
            assertThat(problem.kind()).as(c.yaml()).isEqualTo(RuleProblem.Kind.INVALID);
            assertThat(problem.line()).as(c.yaml()).isEqualTo(c.line());
            assertThat(problem.reason()).as(c.yaml()).startsWith(c.reason());
        }
    }

    @Test
    void entriesWithoutIdAndBrokenDocumentsAreTheFilesProblems() {
        RuleReader.RuleFile noId = RuleReader.read(FILE, "rules:\n- languages: [python]\n  message: m\n");
        assertThat(noId.rules()).isEmpty();
        assertThat(noId.problems()).singleElement().satisfies(p -> {
            assertThat(p.ruleId()).isNull();
            assertThat(p.reason()).isEqualTo("missing 'id'");
            assertThat(p.line()).isEqualTo(2);
        });
        assertThat(RuleReader.read(FILE, "rules: [\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).startsWith("not valid YAML"));
        assertThat(RuleReader.read(FILE, "- just: a list\n").problems()).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("expected a top-level 'rules:' list"));
        assertThat(RuleDefinition.read("rules:\n- id: x\n  metadata: {category: other}\n")).singleElement()
                .satisfies(r -> assertThat(r.isSecurity()).isFalse());
        assertThat(only("rules:\n- id: r\n  languages: [generic]\n  severity: INFO\n  message: m\n  pattern: a\n"
                + "  options: {generic_comment_style: c}\n").body()).isInstanceOfSatisfying(Readable.class,
                r -> assertThat(r.options().unsupportedGeneric()).contains(
                        new RuleDefinition.Unsupported("rule option 'generic_comment_style: c'", 7)));
    }

    /** Parts of syntax v2 with no classic counterpart here stay unsupported, each named. */
    @Test
    void matchSyntaxPartsWithoutAMeaningHereAreUnsupported() {
        for (String part : List.of("anywhere: f()", "taint: {sources: [a]}")) {
            RuleReader.RuleFile read = RuleReader.read(FILE, """
                    rules:
                    - id: v2
                      languages: [python]
                      severity: INFO
                      message: m
                      match:
                        all:
                          - g()
                          - %s
                    """.formatted(part));
            String key = part.substring(0, part.indexOf(':'));
            assertThat(read.rules().get(0).body()).isEqualTo(new Unreadable(
                    new RuleProblem(FILE, "v2", 9, RuleProblem.Kind.UNSUPPORTED, "match: " + key)));
        }
    }
}

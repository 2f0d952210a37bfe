package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.rules.RuleSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Equivalences Semgrep makes that plain structural matching would miss: keyword arguments in any
 * order, parameter lists that look like typed metavariables, fields matched by declaration
 * patterns, Go function declarations, class bodies with a leading ellipsis.
 */
class SemgrepEquivalenceTest extends EngineTestSupport {

    /**
     * Semgrep matches keyword arguments in any order (Generic_vs_generic.m_list__m_argument).
     * Both lines match.
     */
    @Test
    void pythonKeywordArgumentsInAnyOrder() {
        assertThat(lines(scan(pattern("python", "connect(host=$H, ssl=False)"), "t.py", """
                connect(host=h, ssl=False)
                connect(ssl=False, host=h)
                """))).containsExactly(1, 2);
    }

    /**
     * Semgrep's pattern-not-regex removes a match only when the match and the regex match contain
     * one another (Range_with_metavars.difference_ranges, Regexp case). "abc" in "abcde" is
     * reported.
     */
    @Test
    void patternNotRegexNeedsContainmentNotOverlap() {
        assertThat(spans(scan(rule("python", """
                patterns:
                  - pattern-regex: abc
                  - pattern-not-regex: cde
                """), "t.py", "s = \"abcde\"\n"))).containsExactly("1:6-1:9");
    }

    /**
     * A typed method parameter is not a typed metavariable: the rule loads and matches
     * {@code doGet}.
     */
    @Test
    void javaMethodParameterWithTypeIsNotATypedMetavariable() {
        List<?> findings = scan(rule("java", """
                pattern: |
                  void $M(HttpServletRequest $REQ) { ... }
                """), "T.java", """
                class T {
                    void doGet(HttpServletRequest req) { }
                }
                """);
        assertThat(findings).hasSize(1);
    }

    /**
     * A catch parameter is not a typed metavariable. the try statement on line 3 matches.
     *
     */
    @Test
    void javaCatchParameterIsNotATypedMetavariable() {
        assertThat(lines(scan(rule("java", """
                pattern: |
                  try { ... } catch (IOException $E) { ... }
                """), "T.java", """
                class T {
                    void m() {
                        try { read(); } catch (IOException e) { log(e); }
                    }
                }
                """))).containsExactly(3);
    }

    /**
     * Python and TypeScript parameters with a type annotation. both rules load.
     */
    @Test
    void annotatedParametersAreNotTypedMetavariables() {
        RuleSet python = load(rule("python", """
                pattern: |
                  def $F($X: str):
                      ...
                """));
        RuleSet typescript = load(rule("typescript", """
                pattern: |
                  function $F($X: string) { ... }
                """));
        assertThat(python.problems()).isEmpty();
        assertThat(typescript.problems()).isEmpty();
    }

    /**
     * Java field declarations. Semgrep matches a variable-declaration pattern against fields too.
     * line 2 for both patterns (plus line 4 for the one without a modifier).
     */
    @Test
    void javaFieldDeclarations() {
        String source = """
                class T {
                    private String secret = "hunter2";
                    void m() {
                        String local = "x";
                    }
                }
                """;
        assertThat(lines(scan(pattern("java", "private String $F = \"...\";"), "T.java", source))).containsExactly(2);
        assertThat(lines(scan(pattern("java", "String $F = \"...\";"), "U.java", source))).containsExactly(2, 4);
    }

    /**
     * Go function declarations. {@code func run()} on line 3 matches.
     */
    @Test
    void goFunctionDeclaration() {
        assertThat(spans(scan(pattern("go", """
                func $F(...) {
                  ...
                }
                """), "main.go", """
                package main

                func run() {
                	do()
                }
                """))).containsExactly("3:1-5:2");
    }

    /**
     * An ellipsis before a method in a Python class body. class L (line 1) matches.
     *
     */
    @Test
    void pythonClassBodyEllipsisBeforeMethod() {
        assertThat(lines(scan(pattern("python", """
                class $C:
                    ...
                    def __init__(self):
                        ...
                """), "t.py", """
                class L:
                    def __init__(self):
                        pass
                """))).containsExactly(1);
    }
}

package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Swift's string literals are Semgrep's strings: "$X" binds a literal's content, "..." takes any literal (one line or
 * several); a string with an interpolation is code built from parts (not a literal), and its interpolation is code.
 */
class SwiftPatternTest extends EngineTestSupport {

    @Test
    void aStringMetavariableBindsTheContent() {
        String rule = rule("swift", """
                patterns:
                  - pattern: 'store(forKey: "$K")'
                  - metavariable-regex:
                      metavariable: $K
                      regex: ^token$
                """);
        String source = """
                store(forKey: "token")
                store(forKey: "other")
                store(forKey: token)
                """;
        assertThat(lines(scan(rule, "a.swift", source))).containsExactly(1);
    }

    @Test
    void anEllipsisStringTakesAnyLiteralAndAnInterpolationIsCode() {
        String source = """
                log("plain")
                log(\"""
                    multi
                    \""")
                log("user \\(secret) here")
                log(value)
                """;
        assertThat(lines(scan(pattern("swift", "log(\"...\")"), "a.swift", source))).containsExactly(1, 2);
        assertThat(lines(scan(pattern("swift", "secret"), "a.swift", source))).containsExactly(5);
    }

    @Test
    void anAssignmentPatternMatchesALetOrVarDeclarationWithAValue() {
        // Semgrep's vardef_assign: $X = e is also the definition of x with e as its value.
        String source = """
                let prefs = WKPreferences()
                var other = WKPreferences()
                prefs = WKPreferences()
                let unset: WKPreferences
                let config = WKWebViewConfiguration()
                """;
        assertThat(lines(scan(pattern("swift", "$P = WKPreferences()"), "a.swift", source))).containsExactly(1, 2, 3);
        String rule = rule("swift", """
                patterns:
                  - pattern: $P = WKPreferences()
                  - metavariable-regex:
                      metavariable: $P
                      regex: ^other$
                """);
        assertThat(lines(scan(rule, "a.swift", source))).as("the declared name is bound").containsExactly(2);
    }
}

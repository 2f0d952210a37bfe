package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The languages beyond the first five: each is parsed by its own grammar and matched structurally,
 * with metavariables and ellipses; and options that change what every pattern means.
 */
class LanguagesTest extends EngineTestSupport {

    /** Every parsed language names the tree-sitter grammar its parser is built from, and parses. */
    @Test
    void everyParsedLanguageHasAGrammarThatParses() {
        for (Language language : Language.values()) {
            if (language.parsed()) {
                assertThat(language.grammar()).as(language.id()).matches("[a-z_]+");
                assertThat(PARSER.parse(language, "").root()).as(language.id()).isNotNull();
            }
        }
    }

    /** A file without a dot (Dockerfile) has its whole name as its extension. */
    @Test
    void dockerfileIsKnownByItsName() {
        assertThat(Language.forFile(Path.of("app", "Dockerfile"))).contains(Language.DOCKERFILE);
        assertThat(Language.forFile(Path.of("Makefile"))).isEmpty();
    }

    @Test
    void rubyCallWithMetavariablesAndEllipsis() {
        assertThat(lines(scan(rule("ruby", "pattern: eval($X, ...)"), "t.rb", """
                eval(params[:code])
                eval(code, binding)
                evaluate(code)
                """))).containsExactly(1, 2);
    }

    @Test
    void phpPatternsNeedNoOpeningTag() {
        assertThat(lines(scan(rule("php", "pattern: exec($CMD)"), "t.php", """
                <?php
                exec($_GET['cmd']);
                shell_exec($cmd);
                """))).containsExactly(2);
    }

    @Test
    void rustStatementsParseInsideAFunctionBody() {
        assertThat(lines(scan(rule("rust", "pattern: unsafe { ... }"), "t.rs", """
                fn main() {
                    let x = 1;
                    unsafe { danger(); }
                }
                """))).containsExactly(3);
    }

    /**
     * Semgrep's symbolic propagation (rule option {@code symbolic_propagation: true}): a variable
     * defined once stands for the expression it was defined with, so a chained call pattern
     * matches the call made through the variable. Without the option it does not.
     */
    @Test
    void symbolicPropagationLooksThroughAVariableDefinedOnce() {
        String code = """
                s = requests.Session()
                s.get(url)
                t = other()
                t.get(url)
                """;
        String body = "pattern: requests.Session().get(...)\n";
        assertThat(lines(scan(rule("python", body + "options:\n  symbolic_propagation: true\n"), "t.py", code))).containsExactly(2);
        assertThat(lines(scan(rule("python", body), "t.py", code))).isEmpty();
    }

    /** A variable assigned twice has no single definition to stand for. */
    @Test
    void symbolicPropagationIgnoresVariablesAssignedTwice() {
        String code = """
                s = requests.Session()
                s = other()
                s.get(url)
                """;
        assertThat(lines(scan(rule("python", "pattern: requests.Session().get(...)\noptions:\n  symbolic_propagation: true\n"),
                "t.py", code))).isEmpty();
    }
}

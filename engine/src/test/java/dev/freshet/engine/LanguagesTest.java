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
                assertThat(language.grammar()).as(language.id()).matches("[a-z_-]+");
            }
            if (language.parsed() && language.hasGrammar()) {
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

    /**
     * Semgrep reads a YAML mapping as a dictionary: a pattern mapping matches a mapping holding its
     * entries in any order beside others, in block or flow style; a lone {@code ...} line stands for
     * other entries, and a one-entry pattern reports the entry itself.
     */
    @Test
    void yamlMappingsMatchByKeysInAnyOrder() {
        String document = """
                spec:
                  containers:
                    - image: nginx
                      securityContext:
                        runAsUser: 0
                        privileged: true
                    - {securityContext: {privileged: true}}
                    - securityContext:
                        privileged: false
                """;
        assertThat(lines(scan(rule("yaml", "pattern: |\n  privileged: true\n"), "k.yaml", document))).containsExactly(6, 7);
        assertThat(lines(scan(rule("yaml", """
                pattern: |
                  securityContext:
                    ...
                    privileged: true
                """), "k.yaml", document))).containsExactly(4, 7);
    }

    /** Ruby writes statements as bare expressions: a sequence of them matches in a method body. */
    @Test
    void rubyStatementSequencesWithoutStatementWrappers() {
        assertThat(lines(scan(rule("ruby", "pattern: |\n  $X = gets\n  ...\n  system($X)\n"), "t.rb", """
                def run
                  cmd = gets
                  puts cmd
                  system(cmd)
                end
                """))).containsExactly(2);
    }

    /** A C call pattern without its semicolon is a call, not a declaration of a macro type. */
    @Test
    void cCallPatternWithoutSemicolon() {
        assertThat(lines(scan(rule("c", "pattern: gets(...)"), "t.c", """
                int main() {
                    char buffer[8];
                    gets(buffer);
                }
                """))).containsExactly(3);
    }

    /** An OCaml expression pattern matches wherever the expression sits, not only as a top-level item. */
    @Test
    void ocamlExpressionMatchesInsideDefinitions() {
        assertThat(lines(scan(rule("ocaml", "pattern: $X := !$X + 1"), "t.ml", """
                let incr_all x =
                  x := !x + 1;
                  x := !x - 1
                """))).containsExactly(2);
    }
}

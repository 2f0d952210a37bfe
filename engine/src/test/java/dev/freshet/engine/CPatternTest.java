package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** C patterns as Semgrep reads them: statement sequences in function bodies, typed metavariables with pointer types. */
class CPatternTest extends EngineTestSupport {

    /** A pattern of statements with "..." between them matches a run of statements of one body, in order. */
    @Test
    void statementsWithAnEllipsisBetweenThem() {
        String rule = pattern("c", """
                fclose($F);
                ...
                fclose($F);
                """);
        String source = """
                void twice(FILE *f) {
                    fclose(f);
                    puts("closed");
                    fclose(f);
                }
                void once(FILE *f, FILE *g) {
                    fclose(f);
                    fclose(g);
                }
                """;
        assertThat(lines(scan(rule, "t.c", source))).containsExactly(2);
    }

    /**
     * (char *$X) matches an expression the file declares a char pointer, a parameter too, and a string literal
     * (Semgrep's m_compatible_type for C literals); not an int, nor a name whose type the file does not tell.
     */
    @Test
    void typedMetavariableWithAPointerType() {
        String rule = pattern("c", "strlen((char *$S))");
        String source = """
                int f(const char *p, int n, char **pp) {
                    char *s = "a", buf[4];
                    strlen(s);
                    strlen(p);
                    strlen("literal");
                    strlen(n);
                    strlen(pp);
                    strlen(unknown);
                    strlen(buf);
                }
                """;
        assertThat(lines(scan(rule, "t.c", source))).containsExactly(3, 4, 5);
    }
}

package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.scan.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A few pattern features on Go code. */
class GoPatternTest extends EngineTestSupport {

    private List<Finding> go(String pattern, String source) {
        return scan(pattern("go", pattern), "main.go", source);
    }

    @Test
    void metavariableBindsConsistently() {
        List<Finding> findings = go("$X == $X", """
                package main

                func f(a, b int) bool {
                	if a == a {
                		return true
                	}
                	return a == b
                }
                """);
        assertThat(spans(findings)).containsExactly("4:5-4:11");
    }

    @Test
    void ellipsisArgumentsAndStrings() {
        assertThat(lines(go("exec.Command(\"sh\", ...)", """
                package main

                import "os/exec"

                func f(x string) {
                	exec.Command("sh", "-c", x)
                	exec.Command("ls")
                	exec.Command("sh")
                }
                """))).containsExactly(6, 8);
        assertThat(lines(go("fmt.Println(\"...\")", """
                package main

                func f(x string) {
                	fmt.Println("hello")
                	fmt.Println(`raw`)
                	fmt.Println(x)
                }
                """))).containsExactly(4, 5);
    }

    @Test
    void statementSequence() {
        List<Finding> findings = go("""
                $F, $ERR := os.Open(...)
                ...
                $F.Close()
                """, """
                package main

                func f() {
                	f, err := os.Open("x")
                	use(f, err)
                	f.Close()
                }
                """);
        assertThat(spans(findings)).containsExactly("4:2-6:11");
    }

    @Test
    void importedPackageName() {
        assertThat(lines(go("md5.New()", """
                package main

                import "crypto/md5"

                func f() {
                	md5.New()
                	sha.New()
                }
                """))).containsExactly(6);
    }

    private List<Finding> goRule(String body, String source) {
        return scan(rule("go", body), "main.go", source);
    }

    @Test
    void importPatternMatchesEachSpecOfAGroupUnderAnyAlias() {
        String source = """
                package main

                import (
                	"fmt"
                	mrand "math/rand"
                	"os/exec"
                )
                """;
        assertThat(lines(go("import \"os/exec\"", source))).containsExactly(6);
        assertThat(lines(go("import (\"math/rand\")", source))).containsExactly(5);
        assertThat(codes(go("import $R \"$P\"", source))).containsExactly("mrand \"math/rand\"");
    }

    @Test
    void importFollowedByEllipsisScopesTheRestOfTheFile() {
        String rule = """
                patterns:
                  - pattern-inside: |
                      import "os/exec"
                      ...
                  - pattern: exec.Command(...)
                """;
        String call = """

                func f(x string) {
                	exec.Command(x)
                }
                """;
        assertThat(lines(goRule(rule, "package main\n\nimport (\n\t\"fmt\"\n\t\"os/exec\"\n)\n" + call))).containsExactly(9);
        assertThat(lines(goRule(rule, "package main\n\nimport \"fmt\"\n" + call))).isEmpty();
    }

    @Test
    void leadingEllipsisRegionStartsAtTheFirstStatement() {
        // The region "... rand.Int()" takes in everything before the call, the import included.
        assertThat(lines(goRule("""
                patterns:
                  - pattern: import "$MATH"
                  - pattern-inside: |
                      ...
                      rand.Int()
                """, """
                package main

                import "math/rand"

                func f() int {
                	return rand.Int()
                }
                """))).containsExactly(3);
    }

    @Test
    void keyedElementPatternIsACompositeLiteralField() {
        assertThat(lines(goRule("""
                patterns:
                  - pattern-inside: httputil.ReverseProxy{...}
                  - pattern: "Director: $F"
                """, """
                package main

                func f() {
                	a := &httputil.ReverseProxy{
                		Director: d,
                	}
                	b := Other{
                		Director: d,
                	}
                }
                """))).containsExactly(5);
    }

    @Test
    void varPatternAlsoMatchesConst() {
        assertThat(lines(go("var $X template.HTML = $E", """
                package main

                func f() {
                	const a template.HTML = "<b>"
                	var b template.HTML = x
                	var c template.CSS = x
                }
                """))).containsExactly(4, 5);
    }

    @Test
    void assignmentPatternMatchesASingleVarDefinition() {
        assertThat(lines(go("$X = fmt.Sprintf(...)", """
                package main

                var a, b = fmt.Sprintf("%d", 1), 2

                func f(q string) {
                	var text = fmt.Sprintf("%s", q)
                	text = fmt.Sprintf("%s", q)
                }
                """))).containsExactly(6, 7);
    }

    @Test
    void parametersOfDifferentFunctionsAreDifferentVariables() {
        // The region "... Verify(token) ..." spans the whole file, yet unchecked's token is not checked's.
        assertThat(lines(goRule("""
                patterns:
                  - pattern: jwt.Decode($T)
                  - pattern-not-inside: |
                      ...
                      jwt.Verify($T)
                      ...
                """, """
                package main

                func unchecked(token string) {
                	jwt.Decode(token)
                }

                func checked(token string) {
                	jwt.Verify(token)
                	jwt.Decode(token)
                }
                """))).containsExactly(4);
    }
}

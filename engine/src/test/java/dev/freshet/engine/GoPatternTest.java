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
}

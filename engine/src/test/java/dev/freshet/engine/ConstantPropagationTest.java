package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Constant propagation as Semgrep's Dataflow_svalue does it, flow-sensitively within a function:
 * a literal pattern matches a variable whose one reaching write gave it that literal.
 */
class ConstantPropagationTest extends EngineTestSupport {

    /** Go's x = e, const x = e and var x T = e all give x a value. */
    @Test
    void goAssignmentsAndConstantDeclarationsGiveValues() {
        assertThat(lines(scan(pattern("go", "ftp.Dial(\"=~/^ftp:/\", ...)"), "t.go", """
                package p

                func a() {
                    url = "ftp://example.com"
                    ftp.Dial(url)
                }

                func b() {
                    const api = "ftp://example.com"
                    ftp.Dial(api)
                }

                func c() {
                    var u string = "ftp://example.com"
                    ftp.Dial(u)
                }

                func d() {
                    u := "ftp://example.com"
                    u += "/path"
                    ftp.Dial(u)
                }
                """))).containsExactly(5, 10, 15);
    }

    /** Only writes that reach the use count: one after it does not, one later in a loop around it does. */
    @Test
    void onlyReachingWritesCount() {
        assertThat(lines(scan(pattern("go", "sink(\"SELECT\")"), "t.go", """
                package p

                func a() {
                    q := "SELECT"
                    q = sink(q)
                }

                func b(rows []string) {
                    q := "SELECT"
                    for _, r := range rows {
                        sink(q)
                        q = r
                    }
                }
                """))).containsExactly(5);
    }
}

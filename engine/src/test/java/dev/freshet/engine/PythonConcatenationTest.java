package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Python's implicit string concatenation as Semgrep matches it (m_arguments_concat). */
class PythonConcatenationTest extends EngineTestSupport {

    /** "..." among the parts stands for any run of parts, f-strings included; a lone string is no concatenation. */
    @Test
    void ellipsisStringsStandForAnyRunOfParts() {
        assertThat(lines(scan(pattern("python", "\"...\" \"...\""), "t.py", """
                a = ["x" "y"]
                b = ["x" f"{y}" "z"]
                c = ["x", "y"]
                d = "x"
                """))).containsExactly(1, 2);
    }

    /** A written part must be there, in its place among the others. */
    @Test
    void writtenPartsKeepTheirPlace() {
        assertThat(lines(scan(pattern("python", "\"a\" \"...\""), "t.py", """
                x = "a" "b" "c"
                y = "b" "a"
                """))).containsExactly(1);
    }

    /** Literals side by side fold into one constant string, which a string pattern matches whole. */
    @Test
    void implicitConcatenationIsOneConstantString() {
        String file = """
                q = query("SELECT a "
                          "FROM t")
                r = query("SELECT a " + name)
                """;
        assertThat(lines(scan(pattern("python", "query(\"...\")"), "t.py", file))).containsExactly(1);
        assertThat(lines(scan(pattern("python", "query(\"SELECT a FROM t\")"), "t.py", file))).containsExactly(1);
    }
}

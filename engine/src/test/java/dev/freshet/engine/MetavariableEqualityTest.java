package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A metavariable bound twice needs equal code (Semgrep's m_expr on the two bindings), brackets included. */
class MetavariableEqualityTest extends EngineTestSupport {

    /** A tuple, list or subscript holding x is not x; parentheses alone are (Semgrep drops them). */
    @Test
    void bracketsAroundCodeAreNotDropped() {
        assertThat(lines(scan(pattern("python", "f($X, $X)"), "t.py", """
                f(x, (x,))
                f(x, [x])
                f(a[i], a(i))
                f(x, (x))
                f(x, x)
                """))).containsExactly(4, 5);
    }
}

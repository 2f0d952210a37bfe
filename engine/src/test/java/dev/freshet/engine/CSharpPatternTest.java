package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** C# as Semgrep reads it, beyond the basics of {@link CSharpScalaKotlinPatternTest}: each case names its rule. */
class CSharpPatternTest extends EngineTestSupport {

    /** Semgrep's m_attribute: the attributes a pattern names are found among the declaration's others. */
    @Test
    void attributePatternFindsItsAttributeAfterOthers() {
        assertThat(lines(scan(pattern("csharp", """
                [Authorize]
                public IActionResult $M(...) { ... }
                """), "t.cs", """
                class C {
                    [HttpPost]
                    [Authorize]
                    public IActionResult Both() { return null; }
                    [HttpPost]
                    public IActionResult Neither() { return null; }
                    [Authorize]
                    public IActionResult Alone() { return null; }
                }
                """))).containsExactly(2, 7);
    }

    /** A verbatim string (@"...") is a string literal like any other: "..." matches it, and so does its content. */
    @Test
    void verbatimStringsAreStringLiterals() {
        String file = """
                class C {
                    void F(string input) {
                        nav.Compile(@"//item[@name='" + input + "']");
                        nav.Compile(@"//items");
                        nav.Compile(input + input);
                    }
                }
                """;
        assertThat(lines(scan(pattern("csharp", "$NAV.Compile(\"...\" + $X + \"...\")"), "t.cs", file))).containsExactly(3);
        assertThat(lines(scan(pattern("csharp", "$NAV.Compile(\"//items\")"), "t.cs", file))).containsExactly(4);
    }
}

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

    /** new T { ... } is new T() { ... }: both are Semgrep's New with no arguments; new T(x) is not. */
    @Test
    void emptyArgumentListMatchesAConstructionWithoutOne() {
        assertThat(lines(scan(pattern("csharp", "new Process() { ... }"), "t.cs", """
                class C {
                    void F(string cmd) {
                        var a = new Process { StartInfo = info };
                        var b = new Process() { StartInfo = info };
                        var c = new Process(cmd) { StartInfo = info };
                    }
                }
                """))).containsExactly(3, 4);
    }

    /** C# wraps each argument in a node of its own: a typed metavariable sees through it to the argument's type. */
    @Test
    void typedMetavariableAsAnArgument() {
        assertThat(lines(scan(pattern("csharp", "new JavaScriptSerializer((SimpleTypeResolver $R))"), "t.cs", """
                class C {
                    void F(OtherResolver other) {
                        var resolver = new SimpleTypeResolver();
                        var a = new JavaScriptSerializer(resolver);
                        var b = new JavaScriptSerializer(new SimpleTypeResolver());
                        var c = new JavaScriptSerializer(other);
                    }
                }
                """))).containsExactly(4, 5);
    }
}

package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** HTML as Semgrep's m_xml matches it with the default options: elements by tag, attributes in any order, bodies in order. */
class HtmlPatternTest extends EngineTestSupport {

    /** The attributes a pattern names are found among others, in any order; one it names but the file lacks fails. */
    @Test
    void attributesMatchInAnyOrderAmongOthers() {
        String page = """
                <img alt="logo" src="a.png">
                <img src="a.png">
                <img src="b.png" alt="logo" width=3>
                """;
        assertThat(lines(scan(pattern("html", "<img src=\"a.png\" alt=\"logo\">"), "p.html", page))).containsExactly(1);
        assertThat(lines(scan(pattern("html", "<img src=\"a.png\">"), "p.html", page))).containsExactly(1, 2);
    }

    /** An attribute's value is a string whether it is quoted with ", with ' or not at all; "$X" binds its content. */
    @Test
    void aValueIsAStringHoweverQuoted() {
        String rule = rule("html", """
                patterns:
                  - pattern: <form action="$A">...</form>
                  - metavariable-regex:
                      metavariable: $A
                      regex: ^/submit
                """);
        String page = """
                <form action="/submit">x</form>
                <form action='/submit/2'>x</form>
                <form method=post action=/submit>x</form>
                <form action="/other">x</form>
                """;
        assertThat(lines(scan(rule, "p.html", page))).containsExactly(1, 2, 3);
    }

    /** A pair of tags and a self-closing tag are one element (xml_singleton_loose_matching); no body in the pattern takes any. */
    @Test
    void aTagPairMatchesASelfClosingTag() {
        String page = """
                <input type="password" />
                <input type="password">
                <input type="text">
                """;
        assertThat(lines(scan(pattern("html", "<input type=\"password\">"), "p.html", page))).containsExactly(1, 2);
    }

    /** A body matches the children in order, "..." standing for any run of them. */
    @Test
    void aBodyMatchesInOrderWithEllipses() {
        String page = """
                <ul><li>a</li><li>b</li></ul>
                <ul><li>b</li><li>a</li></ul>
                <ul><li>a</li><li>c</li><li>b</li></ul>
                """;
        assertThat(lines(scan(pattern("html", "<ul><li>a</li>...<li>b</li></ul>"), "p.html", page))).containsExactly(1, 3);
    }
}

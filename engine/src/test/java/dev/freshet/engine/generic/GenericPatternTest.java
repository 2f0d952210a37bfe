package dev.freshet.engine.generic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.generic.GenericPattern.Block;
import dev.freshet.engine.generic.GenericPattern.Element;
import dev.freshet.engine.generic.GenericPattern.Ellipsis;
import dev.freshet.engine.generic.GenericPattern.Literal;
import dev.freshet.engine.generic.GenericPattern.Metavariable;
import dev.freshet.engine.pattern.PatternException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading generic patterns and documents into tokens and blocks. */
class GenericPatternTest {

    private static List<Element> elements(String pattern) throws PatternException {
        return GenericPattern.parse(pattern).root().elements();
    }

    private static Literal lit(String text) {
        return new Literal(text);
    }

    /** The tokens of a document, each with the depth of its innermost block. */
    private static List<String> tokensWithDepth(String text) {
        GenericDocument doc = GenericDocument.of(text);
        List<String> out = new ArrayList<>();
        for (int t = 0; t < doc.size; t++) {
            int depth = 0;
            for (int b = doc.parent[t]; b != 0; b = doc.blockParent[b]) {
                depth++;
            }
            out.add(doc.text(t) + "@" + depth);
        }
        return out;
    }

    @Test
    void wordsPunctuationAndOtherCharactersAreTokens() throws PatternException {
        assertThat(elements("foo_1.bar(x) != \"é\""))
                .containsExactly(lit("foo_1"), lit("."), lit("bar"), lit("("), lit("x"), lit(")"), lit("!"), lit("="),
                        lit("\""), lit("é"), lit("\""));
    }

    @Test
    void threeDotsAreAnEllipsisButFourAreDots() throws PatternException {
        assertThat(elements("a ... b")).containsExactly(lit("a"), new Ellipsis(null), lit("b"));
        assertThat(elements("a....b")).containsExactly(lit("a"), lit("."), lit("."), lit("."), lit("."), lit("b"));
        assertThat(elements("x..y")).containsExactly(lit("x"), lit("."), lit("."), lit("y"));
    }

    @Test
    void metavariablesStartWithACapitalLetter() throws PatternException {
        assertThat(elements("$X $Name_2 $x $$Y $")).containsExactly(new Metavariable("$X"), new Metavariable("$Name_2"),
                lit("$"), lit("x"), lit("$"), new Metavariable("$Y"), lit("$"));
    }

    @Test
    void ellipsisMetavariables() throws PatternException {
        assertThat(elements("=$...VALUE;")).containsExactly(lit("="), new Ellipsis("$...VALUE"), lit(";"));
        assertThat(elements("$...x")).containsExactly(lit("$"), new Ellipsis(null), lit("x"));
    }

    @Test
    void indentedLinesFormBlocks() throws PatternException {
        List<Element> root = elements("a\n  b\n    c\n  d\ne\n");
        assertThat(root).hasSize(3);
        assertThat(root.get(0)).isEqualTo(lit("a"));
        Block outer = (Block) root.get(1);
        assertThat(outer.body().open()).isFalse();
        assertThat(outer.body().elements()).hasSize(3);
        assertThat(((Block) outer.body().elements().get(1)).body().elements()).containsExactly(lit("c"));
        assertThat(root.get(2)).isEqualTo(lit("e"));
    }

    @Test
    void bracketsInPatternsAreFlatTokens() throws PatternException {
        List<Element> call = elements("f(\n  x)");
        assertThat(call).hasSize(3);
        assertThat(call.subList(0, 2)).containsExactly(lit("f"), lit("("));
        assertThat(((Block) call.get(2)).body().elements()).containsExactly(lit("x"), lit(")"));
        assertThat(elements("{ ... }")).containsExactly(lit("{"), new Ellipsis(null), lit("}"));
    }

    @Test
    void blankLinesAndCrLfAreIgnored() throws PatternException {
        assertThat(elements("a\r\n\r\n   \nb\r\n")).containsExactly(lit("a"), lit("b"));
    }

    @Test
    void requiredWordsAreThePatternsWords() throws PatternException {
        assertThat(GenericPattern.parse("<form ... method=$M ...> {% csrf_token %}").requiredWords())
                .containsExactlyInAnyOrder("form", "method", "csrf_token");
    }

    @Test
    void emptyPatternsAreRejected() {
        assertThatThrownBy(() -> GenericPattern.parse(" \n\t\n")).isInstanceOf(PatternException.class).hasMessage("is empty");
    }

    @Test
    void anEllipsisRightBeforeAnEllipsisMetavariableIsRejected() {
        assertThatThrownBy(() -> GenericPattern.parse("a ... $...X b")).isInstanceOf(PatternException.class)
                .hasMessageContaining("$...X");
        assertThatThrownBy(() -> GenericPattern.parse("a\n  $...Y $...X\n")).isInstanceOf(PatternException.class);
    }

    @Test
    void anEllipsisMetavariableMayBeFollowedByAnEllipsis() throws PatternException {
        assertThat(elements("$...X ...")).containsExactly(new Ellipsis("$...X"), new Ellipsis(null));
    }

    @Test
    void documentBracketsClosedOnTheirLineMakeBlocks() {
        assertThat(tokensWithDepth("f(a, [b]) {}")).containsExactly(
                "f@0", "(@0", "a@1", ",@1", "[@1", "b@2", "]@1", ")@0", "{@0", "}@0");
    }

    @Test
    void documentBracketsLeftOpenOrMismatchedArePlainTokens() {
        assertThat(tokensWithDepth("(a ] b")).containsExactly("(@0", "a@0", "]@0", "b@0");
        assertThat(tokensWithDepth("(a [ b)")).containsExactly("(@0", "a@1", "[@1", "b@1", ")@0");
        assertThat(tokensWithDepth("f(\n  x\n)")).containsExactly("f@0", "(@0", "x@1", ")@0");
    }

    @Test
    void documentIndentationMakesBlocks() {
        assertThat(tokensWithDepth("a\n    b\n      c\n  d\ne")).containsExactly("a@0", "b@1", "c@2", "d@1", "e@0");
        assertThat(tokensWithDepth("a\n\tb\n        c")).containsExactly("a@0", "b@1", "c@1"); // a tab counts 8
    }

    @Test
    void aDocumentMayStartIndented() {
        assertThat(tokensWithDepth("  a\nb")).containsExactly("a@1", "b@0");
    }
}

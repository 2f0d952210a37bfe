package dev.freshet.engine.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.PatternException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Generic mode's matching: tokens, metavariables, ellipsis reach, blocks, which match is reported. */
class GenericMatcherTest {

    private static List<Match> search(String pattern, String document, int span) {
        try {
            // A generous deadline: these must finish at once, and must never hang the build if they do not.
            return GenericDocument.of(document).matches(GenericPattern.parse(pattern).withEllipsisMaxSpan(span),
                    Deadline.in(Duration.ofSeconds(60)));
        } catch (PatternException e) {
            throw new AssertionError(e);
        }
    }

    /** The matched texts, in order. */
    private static List<String> found(String pattern, String document) {
        return found(pattern, document, GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN);
    }

    private static List<String> found(String pattern, String document, int span) {
        return search(pattern, document, span).stream().map(m -> document.substring(m.start(), m.end())).toList();
    }

    /** What each metavariable captured in the only match. */
    private static Map<String, String> captures(String pattern, String document) {
        List<Match> matches = search(pattern, document, GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN);
        assertThat(matches).hasSize(1);
        return matches.get(0).bindings().asMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text(), (a, b) -> a, TreeMap::new));
    }

    /** Lines "0" to "n-1", one number per line. */
    private static String numberedLines(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining("\n")) + "\n";
    }

    @Nested
    class Tokens {
        @Test
        void wordsMatchWholeWordsOnly() {
            assertThat(found("user", "username = user; user_id = 1")).containsExactly("user");
        }

        @Test
        void whitespaceAndLineBreaksBetweenTokensDoNotMatter() {
            assertThat(found("f(x, y)", "f (x,\n   y)")).containsExactly("f (x,\n   y)");
        }

        @Test
        void punctuationMustBeThere() {
            assertThat(found("a = b", "a == b")).isEmpty();
            assertThat(found("a == b", "if a == b:")).containsExactly("a == b");
        }

        @Test
        void quotesAreTokensLikeAnyOther() {
            assertThat(found("\"true\"", "x=\"true\" y='true'")).containsExactly("\"true\"");
        }

        @Test
        void matchingIsCaseSensitive() {
            assertThat(found("select", "SELECT select Select")).containsExactly("select");
        }

        @Test
        void nonAsciiCharactersAreTokens() {
            assertThat(found("naïve", "a naïve b naive")).containsExactly("naïve");
        }

        @Test
        void everyOccurrenceIsReported() {
            assertThat(found("x", "x y x\nz x")).hasSize(3);
        }
    }

    @Nested
    class Metavariables {
        @Test
        void metavariableMatchesOneWord() {
            assertThat(captures("password = $P", "password = hunter2!")).containsEntry("$P", "hunter2");
        }

        @Test
        void metavariableDoesNotMatchPunctuation() {
            assertThat(found("key = $V", "key = \"x\"")).isEmpty();
        }

        @Test
        void repeatedMetavariableMustMatchTheSameWord() {
            assertThat(found("$A + $A", "x + x; y + z")).containsExactly("x + x");
        }

        @Test
        void lowercaseDollarIsPlainText() {
            assertThat(found("$x", "$x $y")).containsExactly("$x");
        }

        @Test
        void ellipsisMetavariableCapturesWhatItSkipped() {
            // Like Semgrep, the capture starts right after the token before it, blanks included.
            assertThat(captures("<a href=$...URL>", "<a href=http://x.test/?q=1>"))
                    .containsEntry("$...URL", "http://x.test/?q=1");
            assertThat(captures("value={{$...V}}", "value={{ a + b }}")).containsEntry("$...V", " a + b");
        }

        @Test
        void repeatedEllipsisMetavariableMustSkipTheSameText() {
            assertThat(found("begin $...X middle $...X", "begin p q middle p q")).hasSize(1);
            assertThat(found("begin $...X middle $...X", "begin p q middle p r")).isEmpty();
        }

        @Test
        void trailingEllipsisMetavariableTakesTheRestOfTheLine() {
            assertThat(captures("key = $...V", "key = a, b\n")).containsEntry("$...V", " a, b");
        }
    }

    @Nested
    class Ellipsis {
        @Test
        void ellipsisSkipsAnyTokens() {
            assertThat(found("open ... close", "open 1 + (2) close")).containsExactly("open 1 + (2) close");
            assertThat(found("open ... close", "open close")).containsExactly("open close");
        }

        @Test
        void ellipsisReachesTenLinesBelowTheLastMatch() {
            assertThat(found("0 ... 10", numberedLines(11))).containsExactly(numberedLines(11).strip());
            assertThat(found("0 ... 11", numberedLines(12))).isEmpty();
        }

        @Test
        void blankLinesCountTowardsTheReach() {
            assertThat(found("start ... end", "start\n" + "\n".repeat(10) + "end")).isEmpty();
            assertThat(found("start ... end", "start\n" + "\n".repeat(9) + "end")).hasSize(1);
        }

        @Test
        void eachFurtherEllipsisReachesTenLinesMore() {
            assertThat(found("0 ... ... 20", numberedLines(21))).hasSize(1);
            assertThat(found("0 ... ... 21", numberedLines(22))).isEmpty();
        }

        @Test
        void reachCountsFromTheLastMatchedToken() {
            assertThat(found("0 ... 8 ... 18", numberedLines(19))).hasSize(1);
        }

        @Test
        void spanZeroKeepsEllipsesOnOneLine() {
            assertThat(found("a ... b", "a x b\na\nb", 0)).containsExactly("a x b");
            assertThat(found("a ...", "x a b c\nd", 0)).containsExactly("a b c");
        }

        @Test
        void trailingEllipsisTakesTheRestOfItsReach() {
            assertThat(found("0 ...", numberedLines(13))).containsExactly(numberedLines(11).strip());
            assertThat(found("a ...", "a b\nc\nd", 1)).containsExactly("a b\nc");
        }

        @Test
        void leadingEllipsisStartsAtTheStartOfABlock() {
            assertThat(found("... b", "a b c")).containsExactly("a b");
            assertThat(found("... $X", "a\n  b\n  c\nd\n")).containsExactly("a", "b");
        }

        @Test
        void theShortestEllipsisWins() {
            assertThat(found("if ... then", "if a then b then")).containsExactly("if a then");
        }

        @Test
        void ofTwoMatchesEndingTogetherTheShorterIsKept() {
            assertThat(found("fn ... main", "fn x fn main")).containsExactly("fn main");
        }

        @Test
        void aFailureRememberedForOneCaptureDoesNotHoldForAnother() {
            // From the first 'a', the search for "a ... c" fails; from 'b' the same positions lead to a match.
            assertThat(found("$X ... $X c", "a b a x b c")).containsExactly("b a x b c");
        }

        @Test
        void overlappingMatchesWithDifferentEndsAreAllKept() {
            assertThat(found("$A $B", "1 2 3")).containsExactly("1 2", "2 3");
            assertThat(found("$A ... $A", "p q q p")).containsExactly("p q q p", "q q");
        }
    }

    @Nested
    class Blocks {
        @Test
        void aFlatPatternMatchesAcrossIndentationAndBrackets() {
            assertThat(found("a b c d", "a\n  b\n    c\nd\n")).hasSize(1);
            assertThat(found("f ( x )", "f(x)")).containsExactly("f(x)");
        }

        @Test
        void aMatchStaysInTheBlockItStartedIn() {
            assertThat(found("b c", "a\n  b\nc\n")).isEmpty();
            assertThat(found("x y", "(x) y")).isEmpty();
        }

        @Test
        void trailingEllipsisStopsAtTheEndOfTheBlock() {
            assertThat(found("key ...", "(key 1 2) 3")).containsExactly("key 1 2");
            assertThat(found("key ...", "a:\n  key 1\n  2\nb\n")).containsExactly("key 1\n  2");
        }

        @Test
        void anIndentedPatternNeedsAnIndentedDocument() {
            assertThat(found("a\n  b\nc\n", "a b c")).isEmpty();
            assertThat(found("a\n  b\nc\n", "a\n    b\nc\n")).hasSize(1);
        }

        @Test
        void anIndentedPatternBlockMustCoverTheWholeBlock() {
            assertThat(found("a\n  b\nd\n", "a\n  b\n  c\nd\n")).isEmpty();
            assertThat(found("a\n  b\n  ...\nd\n", "a\n  b\n  c\nd\n")).hasSize(1);
        }

        @Test
        void indentationSelectsTheSection() {
            String config = "[system]\n  threads = 2\n[user]\n  name = admin\n";
            // Flat, the pattern runs on into the next section; indented, it stays in its own.
            assertThat(found("[system]\n...\nname = $N", config)).hasSize(1);
            assertThat(found("[system]\n  ...\n  name = $N", config)).isEmpty();
            assertThat(found("[system]\n  ...\n  name = $N", "[system]\n  name = debian\n[user]\n  name = admin\n"))
                    .containsExactly("[system]\n  name = debian");
        }

        @Test
        void bracketsOnOneLineMakeBlocksThatPatternBlocksMatch() {
            String pattern = "{\n  a: 1\n  ...\n}\n";
            assertThat(found(pattern, "[ { a: 1, b: 2 }, {} ]")).containsExactly("{ a: 1, b: 2 }");
            assertThat(found(pattern, "[ { a: 2 }, { a: 1, b: 2 } ]")).containsExactly("{ a: 1, b: 2 }");
        }

        @Test
        void anEllipsisInABlockStaysInTheBlock() {
            assertThat(found("a\n  ...\n  b\n", "a\n  x\nb\n")).isEmpty();
            assertThat(found("a\n  ...\n  b\n", "a\n  x\n  b\nc\n")).hasSize(1);
        }

        @Test
        void metavariablesBindAcrossBlocks() {
            assertThat(found("a\n  $X\nb\n  $X\n", "a\n  v\nb\n  v\n")).hasSize(1);
            assertThat(found("a\n  $X\nb\n  $X\n", "a\n  v\nb\n  w\n")).isEmpty();
        }

        @Test
        void unbalancedBracketsArePlainTokens() {
            assertThat(found("f ( x", "f(x")).containsExactly("f(x");
            assertThat(found("a ... b", "a ( ] b")).containsExactly("a ( ] b");
            // The stray '(' does not swallow the rest of the file into a block.
            assertThat(found("x y", "( x y\nz")).containsExactly("x y");
        }

        @Test
        void bracketsSpanningLinesAreNotBlocks() {
            assertThat(found("call ... end", "call(\n  1,\n  2\n) end")).hasSize(1);
        }
    }

    @Nested
    class HostileInput {
        @Test
        void aHugeSingleLineWithManyStartsAndNoEndIsLinear() {
            // 200 000 starts, each of whose ellipses could scan to the end of the line.
            String line = "a ".repeat(200_000) + "b";
            List<Match> matches = search("a ... c", line, GenericPattern.DEFAULT_ELLIPSIS_MAX_SPAN);
            assertThat(matches).isEmpty();
            assertThat(found("a ... b", "a a a b")).containsExactly("a b");
        }

        @Test
        void aHugeSingleLineMatchesWithTheMatchesItHas() {
            String line = "x = f(1); ".repeat(20_000);
            assertThat(search("f ( $N )", line, 10)).hasSize(20_000);
        }

        @Test
        void deeplyNestedBracketsDoNotOverflow() {
            String nested = "(".repeat(100_000) + "x" + ")".repeat(100_000);
            assertThat(found("x", nested)).containsExactly("x");
            assertThat(GenericDocument.of(nested).tokenCount()).isEqualTo(200_001);
        }

        @Test
        void manyUnclosedBracketsStayLinear() {
            String open = "([{".repeat(100_000) + " end";
            assertThat(found("( [ { end", open)).containsExactly("([{ end");
        }

        @Test
        void binaryLookingTextIsTokens() {
            String text = "\u0001\u0002abc\u00ff\ufffd\r=\u0000x";
            assertThat(found("abc", text)).containsExactly("abc");
            assertThat(found("\u00ff \ufffd", text)).containsExactly("\u00ff\ufffd");
        }

        @Test
        void crLfLineBreaksAreLineBreaks() {
            assertThat(found("a\n  b\n", "a\r\n  b\r\n")).hasSize(1);
            assertThat(found("0 ... 11", numberedLines(12).replace("\n", "\r\n"))).isEmpty();
        }

        @Test
        void anEmptyDocumentHasNoMatches() {
            assertThat(found("...", "")).isEmpty();
            assertThat(found("a", "\n\n  \n")).isEmpty();
        }
    }
}

package dev.freshet.engine.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    private static Edit edit(String text, String original, String replacement) {
        int start = text.indexOf(original);
        return new Edit(start, start + original.length(), original, replacement);
    }

    private static String numbered(int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i <= to; i++) {
            out.append("line").append(i).append('\n');
        }
        return out.toString();
    }

    @Test
    void oneChangedLineWithThreeLinesOfContext() {
        String text = numbered(1, 10);
        assertThat(UnifiedDiff.of("src/a.py", text, List.of(edit(text, "line5", "LINE5")))).isEqualTo("""
                --- a/src/a.py
                +++ b/src/a.py
                @@ -2,7 +2,7 @@
                 line2
                 line3
                 line4
                -line5
                +LINE5
                 line6
                 line7
                 line8
                """);
    }

    @Test
    void distantChangesGetTheirOwnHunksAndLineNumbersFollowEarlierGrowth() {
        String text = numbered(1, 20);
        String diff = UnifiedDiff.of("f", text, List.of(edit(text, "line2\n", "two\nlines\n"), edit(text, "line18", "X")));
        assertThat(diff).contains("@@ -1,5 +1,6 @@\n line1\n-line2\n+two\n+lines\n line3\n line4\n line5\n");
        assertThat(diff).contains("@@ -15,6 +16,6 @@\n line15\n line16\n line17\n-line18\n+X\n line19\n line20\n");
    }

    @Test
    void nearbyChangesShareOneHunk() {
        String text = numbered(1, 12);
        String diff = UnifiedDiff.of("f", text, List.of(edit(text, "line3", "A"), edit(text, "line8", "B")));
        assertThat(diff.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,11 +1,11 @@");
    }

    @Test
    void twoEditsOnOneLineMakeOneChange() {
        String text = "a = f(1) + f(2)\n";
        String diff = UnifiedDiff.of("f", text, List.of(edit(text, "f(1)", "g(1)"), edit(text, "f(2)", "g(2)")));
        assertThat(diff).endsWith("@@ -1,1 +1,1 @@\n-a = f(1) + f(2)\n+a = g(1) + g(2)\n");
    }

    @Test
    void aMissingFinalLineBreakIsFlagged() {
        String text = "x = 1\neval(y)";
        assertThat(UnifiedDiff.of("f", text, List.of(edit(text, "eval(y)", "safe(y)"))))
                .endsWith(" x = 1\n-eval(y)\n\\ No newline at end of file\n+safe(y)\n\\ No newline at end of file\n");
    }

    @Test
    void crLfLinesKeepTheirCarriageReturn() {
        String text = "a\r\nb\r\n";
        assertThat(UnifiedDiff.of("f", text, List.of(edit(text, "b", "c")))).endsWith("@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");
    }

    @Test
    void deletingWholeLines() {
        String text = "keep\ndrop\nkeep2\n";
        assertThat(UnifiedDiff.of("f", text, List.of(edit(text, "drop\n", ""))))
                .endsWith("@@ -1,3 +1,2 @@\n keep\n-drop\n keep2\n");
    }

    @Test
    void insertingAtTheEnd() {
        String text = "a\n";
        assertThat(UnifiedDiff.of("f", text, List.of(new Edit(2, 2, "", "b\n")))).endsWith("@@ -1,1 +1,2 @@\n a\n+b\n");
    }

    @Test
    void noEditsNoDiff() {
        assertThat(UnifiedDiff.of("f", "a\n", List.of())).isEmpty();
    }

    @Test
    void applyingTheDiffGivesTheFixedText() {
        // Every hunk, replayed on the old lines, must give exactly what Edits.apply gives.
        String text = numbered(1, 40);
        List<Edit> edits = List.of(edit(text, "line3\nline4\n", "x\n"), edit(text, "line9", "nine\nnine"), edit(text, "line10", "ten"),
                edit(text, "line30\n", ""), edit(text, "line40", "end"));
        String diff = UnifiedDiff.of("f", text, edits);
        assertThat(patch(text, diff)).isEqualTo(Edits.apply(text, edits).text());
    }

    /** A strict unified-diff applier for the test: context and removed lines must match the old text. */
    private static String patch(String text, String diff) {
        List<String> old = text.lines().toList();
        List<String> out = new ArrayList<>();
        int next = 0;
        List<String> lines = diff.lines().toList();
        for (int i = 2; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("@@")) {
                int oldStart = Integer.parseInt(line.substring(4, line.indexOf(',')));
                while (next < oldStart - 1) {
                    out.add(old.get(next++));
                }
            } else if (line.startsWith(" ") || line.startsWith("-")) {
                assertThat(old.get(next)).isEqualTo(line.substring(1));
                if (line.startsWith(" ")) {
                    out.add(old.get(next));
                }
                next++;
            } else if (line.startsWith("+")) {
                out.add(line.substring(1));
            }
        }
        while (next < old.size()) {
            out.add(old.get(next++));
        }
        return String.join("\n", out) + "\n";
    }
}

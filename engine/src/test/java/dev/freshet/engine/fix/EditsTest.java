package dev.freshet.engine.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EditsTest {
    private static Edit edit(String text, String original, String replacement) {
        int start = text.indexOf(original);
        return new Edit(start, start + original.length(), original, replacement);
    }

    @Test
    void editsApplyInAnyOrderGiven() {
        String text = "a(1); b(2); c(3);";
        Edits.Result result = Edits.apply(text, List.of(edit(text, "c(3)", "C"), edit(text, "a(1)", "A"), edit(text, "b(2)", "BBBBBB")));
        assertThat(result.text()).isEqualTo("A; BBBBBB; C;");
        assertThat(result.applied()).extracting(Edit::replacement).containsExactly("A", "BBBBBB", "C");
        assertThat(result.skipped()).isEmpty();
    }

    @Test
    void anInnerOrLaterOverlappingEditIsSkippedWithANote() {
        String text = "outer(inner(x))";
        Edit outer = new Edit(0, text.length(), text, "fixed(x)");
        Edit inner = edit(text, "inner(x)", "y");
        Edits.Result result = Edits.apply(text, List.of(inner, outer));
        assertThat(result.text()).isEqualTo("fixed(x)");
        assertThat(result.skipped()).singleElement().satisfies(s -> {
            assertThat(s.edit()).isEqualTo(inner);
            assertThat(s.reason()).contains("overlaps the fix at offset 0..15");
        });
    }

    @Test
    void partlyOverlappingEditsKeepTheEarlierOne() {
        String text = "abcdef";
        Edits.Result result = Edits.apply(text, List.of(new Edit(2, 5, "cde", "X"), new Edit(0, 3, "abc", "Y")));
        assertThat(result.text()).isEqualTo("Ydef");
        assertThat(result.skipped()).hasSize(1);
    }

    @Test
    void touchingEditsBothApply() {
        String text = "abcd";
        assertThat(Edits.apply(text, List.of(new Edit(0, 2, "ab", "1"), new Edit(2, 4, "cd", "2"))).text()).isEqualTo("12");
    }

    @Test
    void theSameFixTwiceIsAppliedOnce() {
        String text = "exit(1)";
        Edit fix = new Edit(0, 7, text, "sys.exit(1)");
        Edits.Result result = Edits.apply(text, List.of(fix, fix));
        assertThat(result.text()).isEqualTo("sys.exit(1)");
        assertThat(result.applied()).hasSize(1);
        assertThat(result.skipped()).isEmpty();
    }

    @Test
    void twoInsertionsAtOnePointAreAConflict() {
        Edits.Result result = Edits.apply("ab", List.of(new Edit(1, 1, "", "X"), new Edit(1, 1, "", "Y")));
        assertThat(result.text()).isEqualTo("aXb");
        assertThat(result.skipped()).hasSize(1);
    }

    @Test
    void anEditWhoseCodeChangedSinceTheScanIsSkipped() {
        Edits.Result result = Edits.apply("eval(y)", List.of(new Edit(0, 7, "eval(x)", "safe(x)"), new Edit(5, 40, "y".repeat(35), "")));
        assertThat(result.text()).isEqualTo("eval(y)");
        assertThat(result.skipped()).extracting(Edits.Skipped::reason).containsOnly("the code there changed since the scan");
    }

    @Test
    void unicodeOutsideTheEditsIsKept() {
        String text = "s = \"héllo 😀\"; eval(x) # ünïcode\r\n";
        Edits.Result result = Edits.apply(text, List.of(edit(text, "eval(x)", "ast.literal_eval(x)")));
        assertThat(result.text()).isEqualTo("s = \"héllo 😀\"; ast.literal_eval(x) # ünïcode\r\n");
    }

    @Test
    void inconsistentEditsAreRejected() {
        assertThatThrownBy(() -> new Edit(3, 2, "", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Edit(0, 2, "abc", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyEditsStayLinear() {
        // 200 000 one-character fixes: a quadratic applier would take minutes here.
        StringBuilder text = new StringBuilder();
        java.util.List<Edit> edits = new java.util.ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            edits.add(new Edit(text.length(), text.length() + 1, "a", "bb"));
            text.append("a;");
        }
        Edits.Result result = Edits.apply(text.toString(), edits);
        assertThat(result.applied()).hasSize(200_000);
        assertThat(result.text()).hasSize(600_000).startsWith("bb;bb;");
    }
}

package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Semgrep's entropy analyzer ({@code Entropy.ml}): trigram bits of English, 64 bits and 0.6 density to be high. */
class EntropyTest {
    private static final double DIGIT_BITS = Math.log(62) / Math.log(2);

    /** Characters no English trigram holds count as one of 62 at random; every position adds one character's worth. */
    @Test
    void charactersOutsideTheTrigramsCountAsOneOfSixtyTwo() {
        assertThat(Entropy.bits("70")).isCloseTo(2 * DIGIT_BITS, within(1e-9));
        assertThat(Entropy.bits("2024-06")).isCloseTo(7 * DIGIT_BITS, within(1e-9));
        // UTF-8 bytes are read: é is two bytes.
        assertThat(Entropy.bits("é1")).isCloseTo(3 * DIGIT_BITS, within(1e-9));
    }

    /** Ten such characters hold 59.5 bits, eleven 65.5: the 64-bit threshold falls between them. */
    @Test
    void sixtyFourBitsThreshold() {
        assertThat(Entropy.isHigh("9081726354")).isFalse();
        assertThat(Entropy.isHigh("90817263541")).isTrue();
    }

    @Test
    void caseDoesNotChangeTheEstimate() {
        assertThat(Entropy.bits("Hello There")).isEqualTo(Entropy.bits("hELLO tHERE"));
    }

    @Test
    void commonEnglishIsCheaperThanRareLetters() {
        assertThat(Entropy.bits("thethe")).isLessThan(Entropy.bits("qxzjvk"));
    }

    @Test
    void randomLookingStringsAreHighWordsAndRunsAreNot() {
        assertThat(Entropy.isHigh("c3f1a9e07b4d28e5961f0a7c")).isTrue();
        assertThat(Entropy.isHigh("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5")).isTrue();
        assertThat(Entropy.isHigh("interestingly the weather was mild")).isFalse();
        assertThat(Entropy.isHigh("letmein2024")).isFalse();
        assertThat(Entropy.bits("#".repeat(80))).isEqualTo(1);
        assertThat(Entropy.isHigh("#".repeat(80))).isFalse();
        assertThat(Entropy.isHigh("")).isFalse();
    }
}

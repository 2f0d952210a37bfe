package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefilterTest {
    @Test
    void wordsAreTheRunsOfAsciiLettersDigitsAndUnderscores() {
        assertThat(Prefilter.wordsOf("os.system(cmd_1) # x9\n\"z\"")).containsExactlyInAnyOrder("os", "system", "cmd_1", "x9", "z");
    }

    @Test
    void nonAsciiLettersAndEveryOtherCharacterSeparateWords() {
        // é and the Cyrillic а are letters but not ASCII: as before, they end a word, never join one.
        assertThat(Prefilter.wordsOf("caf\u00e9_x \u0430b [a]{b}-c\u0000d\t_")).containsExactlyInAnyOrder("caf", "_x", "b", "a", "c", "d", "_");
    }

    @Test
    void emptyAndWordlessTextHaveNoWords() {
        assertThat(Prefilter.wordsOf("")).isEmpty();
        assertThat(Prefilter.wordsOf(" \n\t()[]{}.,;:'\"\u00e9")).isEmpty();
        assertThat(Prefilter.wordsOf("word")).containsExactly("word");
    }
}

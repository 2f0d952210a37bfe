package dev.freshet.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every byte of a character's UTF-8 maps to the character's first char index, code point by code
 * point as String.getBytes encodes them: one to four bytes, a surrogate pair as four bytes, a lone
 * surrogate as '?'.
 */
class Utf8OffsetsProperties {
    @Provide
    Arbitrary<String> texts() {
        // One-, two-, three- and four-byte characters, and both halves of a pair, which also come alone.
        return Arbitraries.strings().withChars("a\n\u00e9\u20ac").withChars("\ud83d\ude00").ofMaxLength(40);
    }

    @Property(tries = 500)
    void eachByteMapsToTheCharItEncodes(@ForAll("texts") String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Utf8Offsets offsets = Utf8Offsets.of(utf8, text.length());
        int byteOffset = 0;
        for (int i = 0; i < text.length(); ) {
            int chars = Character.charCount(text.codePointAt(i));
            int bytes = text.substring(i, i + chars).getBytes(StandardCharsets.UTF_8).length;
            for (int k = 0; k < bytes; k++) {
                assertThat(offsets.charIndex(byteOffset + k)).as("byte %d of %s", byteOffset + k, text).isEqualTo(i);
            }
            byteOffset += bytes;
            i += chars;
        }
        assertThat(byteOffset).isEqualTo(utf8.length);
        assertThat(offsets.charIndex(utf8.length)).as("the end").isEqualTo(text.length());
    }

    @Example
    void anAsciiTextMapsEachByteToItself() {
        byte[] utf8 = "def f():\n".getBytes(StandardCharsets.UTF_8);
        Utf8Offsets offsets = Utf8Offsets.of(utf8, 9);
        assertThat(offsets.charIndex(4)).isEqualTo(4);
        assertThat(offsets.charIndex(9)).isEqualTo(9);
    }
}

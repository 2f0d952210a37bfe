package dev.freshet.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A file's bytes go to the parser as the source's UTF-8 only when they are exactly that. */
class SourceUtf8Properties {
    @Provide
    Arbitrary<byte[]> files() {
        // Valid text of one to four bytes a character, and bytes that are not UTF-8 (stray continuation
        // bytes, truncated and overlong sequences, encoded surrogates, U+FFFD itself).
        Arbitrary<byte[]> valid = Arbitraries.strings().withChars("ab\n é€😀\uFFFD").ofMaxLength(20)
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(20);
        Arbitrary<byte[]> tricky = Arbitraries.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        return Arbitraries.oneOf(valid, raw, tricky).list().ofMaxSize(4).map(SourceUtf8Properties::joined);
    }

    private static byte[] joined(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Property(tries = 2000)
    void passedBytesAreTheSourcesUtf8(@ForAll("files") byte[] bytes) {
        String source = new String(bytes, StandardCharsets.UTF_8);
        byte[] utf8 = Scanner.sourceUtf8(bytes, source, false);
        if (utf8 != null) {
            assertThat(utf8).isEqualTo(source.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Example
    void validTextPassesAsItIsAndMalformedTextIsEncodedAgain() {
        byte[] valid = "naïve € 😀".getBytes(StandardCharsets.UTF_8);
        assertThat(Scanner.sourceUtf8(valid, new String(valid, StandardCharsets.UTF_8), false)).isSameAs(valid);
        byte[] malformed = {'a', (byte) 0xC3, 'b'};
        assertThat(Scanner.sourceUtf8(malformed, new String(malformed, StandardCharsets.UTF_8), false)).isNull();
    }
}

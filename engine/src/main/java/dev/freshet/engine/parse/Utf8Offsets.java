package dev.freshet.engine.parse;

/** Converts tree-sitter's UTF-8 byte offsets into Java char indexes; free for ASCII sources. */
final class Utf8Offsets {
    private static final Utf8Offsets IDENTITY = new Utf8Offsets(null);

    /** Char index for each byte offset, or null when every char is one byte. */
    private final int[] charIndexOfByte;

    private Utf8Offsets(int[] charIndexOfByte) {
        this.charIndexOfByte = charIndexOfByte;
    }

    /**
     * Read from the bytes, one step a byte (the scan's threads run C1's code, where a walk over the
     * string's chars with a width for each took three times as long): a character starts at every byte that is
     * not a continuation byte (10xxxxxx), and a four-byte sequence is a surrogate pair, two chars. Every
     * byte of a character maps to its first char.
     * @param utf8 the parsed text's UTF-8, well formed (String.getBytes writes a lone surrogate as '?')
     * @param length the text's length in chars: equal to the bytes' count, it tells an all-ASCII text at once
     */
    static Utf8Offsets of(byte[] utf8, int length) {
        if (utf8.length == length) {
            return IDENTITY;
        }
        int[] map = new int[utf8.length + 1];
        int chars = 0;
        int current = 0;
        for (int b = 0; b < utf8.length; b++) {
            int value = utf8[b] & 0xFF;
            if ((value & 0xC0) != 0x80) {
                current = chars;
                chars += value >= 0xF0 ? 2 : 1;
            }
            map[b] = current;
        }
        map[utf8.length] = chars;
        return new Utf8Offsets(map);
    }

    int charIndex(int byteOffset) {
        if (charIndexOfByte == null) {
            return byteOffset;
        }
        return charIndexOfByte[Math.max(0, Math.min(byteOffset, charIndexOfByte.length - 1))];
    }
}

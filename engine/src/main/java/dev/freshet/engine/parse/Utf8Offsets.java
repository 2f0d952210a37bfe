package dev.freshet.engine.parse;

/** Converts tree-sitter's UTF-8 byte offsets into Java char indexes; free for ASCII sources. */
final class Utf8Offsets {
    private static final Utf8Offsets IDENTITY = new Utf8Offsets(null);

    /** Char index for each byte offset, or null when every char is one byte. */
    private final int[] charIndexOfByte;

    private Utf8Offsets(int[] charIndexOfByte) {
        this.charIndexOfByte = charIndexOfByte;
    }

    /** @param utf8Length the length of the source's UTF-8 encoding, which tells an all-ASCII source at once */
    static Utf8Offsets of(String source, int utf8Length) {
        if (utf8Length == source.length()) {
            return IDENTITY;
        }
        int[] map = new int[utf8Length + 1];
        int b = 0;
        for (int i = 0; i < source.length(); i++) {
            int w = width(source, i);
            for (int k = 0; k < w; k++) {
                map[b++] = i;
            }
        }
        map[b] = source.length();
        return new Utf8Offsets(map);
    }

    /** UTF-8 bytes for the char at {@code i}: a surrogate pair's 4 bytes go to its first half. */
    private static int width(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return 4;
        }
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))) {
            return 0;
        }
        // A lone surrogate is encoded as '?', as String.getBytes does.
        return Character.isSurrogate(c) ? 1 : 3;
    }

    int charIndex(int byteOffset) {
        if (charIndexOfByte == null) {
            return byteOffset;
        }
        return charIndexOfByte[Math.max(0, Math.min(byteOffset, charIndexOfByte.length - 1))];
    }
}

package dev.freshet.engine.parse;

/**
 * The engine's C word pass ({@code freshet_read_words} in freshet_tree.c, which says what the arguments
 * are), for the scan's prefilter: it reads every byte of every file a scan considers, before any parse.
 * Present with the engine's optimised runtime only.
 */
public final class NativeWordPass {
    private NativeWordPass() {
    }

    public static boolean available() {
        return TreeSitterApi.hasEngineFunctions();
    }

    /** @return the number of newlines, with bit 32 set when a byte is not ASCII */
    public static long read(byte[] text, int[] slots, int[] words, byte[] chars, byte[] found, int[] lineStarts) {
        return TreeSitterApi.readWords(text, slots, words, chars, found, lineStarts);
    }
}

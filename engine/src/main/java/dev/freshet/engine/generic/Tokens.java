package dev.freshet.engine.generic;

/**
 * How generic mode cuts text into tokens, the same way for patterns and documents: a word is a run of
 * ASCII letters, digits and underscores; every other character (ASCII punctuation, brackets, anything
 * non-ASCII) is a token of its own; spaces and tabs only separate tokens, and line breaks end lines.
 * A line's indentation counts 1 per space and 8 per tab.
 */
final class Tokens {
    static final int TAB_WIDTH = 8;

    private Tokens() {
    }

    static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** Whether a line break starts at {@code i}: LF, or CR LF (a lone CR is a token like any other). */
    static boolean isLineBreak(String text, int i) {
        char c = text.charAt(i);
        return c == '\n' || c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
    }

    /** Where the token starting at {@code i} (not blank, not a line break) ends. */
    static int tokenEnd(String text, int i) {
        if (isWordChar(text.charAt(i))) {
            int end = i + 1;
            while (end < text.length() && isWordChar(text.charAt(end))) {
                end++;
            }
            return end;
        }
        return i + Character.charCount(text.codePointAt(i));
    }

    /** Where the line starting at {@code i} ends, after its line break. */
    static int nextLine(String text, int i) {
        int newline = text.indexOf('\n', i);
        return newline < 0 ? text.length() : newline + 1;
    }
}

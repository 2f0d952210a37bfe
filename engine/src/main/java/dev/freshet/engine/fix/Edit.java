package dev.freshet.engine.fix;

/**
 * Replace the text between two char offsets of a file (end exclusive). {@code original} is the text
 * the scan saw there, so an edit is never applied to a file that changed in the meantime.
 */
public record Edit(int start, int end, String original, String replacement) {
    public Edit {
        if (start < 0 || end < start || original.length() != end - start) {
            throw new IllegalArgumentException("bad edit range " + start + ".." + end + " for " + original.length() + " chars");
        }
    }
}

package dev.freshet.engine.deps.cvss;

/** A CVSS vector that cannot be scored; the message names the vector and what is wrong with it. */
public final class CvssException extends Exception {
    private static final int SHOWN = 100;

    CvssException(String vector, String reason) {
        super("CVSS vector \"" + shown(vector, SHOWN) + "\": " + reason);
    }

    /** The input as it may appear in a message: cut short, control and non-ASCII characters escaped. */
    static String shown(String text, int max) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) out.append(c);
            else out.append(String.format("\\u%04x", (int) c));
        }
        return i < text.length() ? out + "..." : out.toString();
    }
}

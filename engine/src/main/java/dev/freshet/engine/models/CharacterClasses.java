package dev.freshet.engine.models;

/**
 * The character classes value profiles count: lower-case and upper-case ASCII letters, digits,
 * space, other letters (Unicode), other non-ASCII characters, control characters, and each ASCII
 * punctuation character on its own (a quote or a bracket says much more than "punctuation").
 */
public final class CharacterClasses {
    public static final int LOWER = 0;
    public static final int UPPER = 1;
    public static final int DIGIT = 2;
    public static final int SPACE = 3;
    public static final int OTHER_LETTER = 4;
    public static final int OTHER_NON_ASCII = 5;
    public static final int CONTROL = 6;
    private static final int FIRST_PUNCTUATION = 7;
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    public static final int COUNT = FIRST_PUNCTUATION + PUNCTUATION.length();

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) (c >= 'a' && c <= 'z' ? LOWER
                    : c >= 'A' && c <= 'Z' ? UPPER
                    : c >= '0' && c <= '9' ? DIGIT
                    : c == ' ' ? SPACE
                    : PUNCTUATION.indexOf(c) >= 0 ? FIRST_PUNCTUATION + PUNCTUATION.indexOf(c)
                    : CONTROL);
        }
    }

    private CharacterClasses() {
    }

    public static int of(char c) {
        if (c < 128) {
            return ASCII[c];
        }
        return Character.isLetter(c) ? OTHER_LETTER : OTHER_NON_ASCII;
    }

    /** A short name for explanations: {@code "'"}, {@code digits}, {@code control characters}. */
    public static String describe(int characterClass) {
        return switch (characterClass) {
            case LOWER -> "lower-case letters";
            case UPPER -> "upper-case letters";
            case DIGIT -> "digits";
            case SPACE -> "spaces";
            case OTHER_LETTER -> "non-ASCII letters";
            case OTHER_NON_ASCII -> "non-ASCII symbols";
            case CONTROL -> "control characters";
            default -> "'" + PUNCTUATION.charAt(characterClass - FIRST_PUNCTUATION) + "'";
        };
    }
}

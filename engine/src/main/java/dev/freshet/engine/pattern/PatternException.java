package dev.freshet.engine.pattern;

/** A pattern that cannot be compiled; the message says why in terms of the pattern's text. */
public class PatternException extends Exception {
    public PatternException(String message) {
        super(message);
    }
}

package dev.freshet.engine.models;

/** A model artifact this engine cannot use; the message says why and what would fix it. */
public final class IncompatibleModelException extends Exception {
    public IncompatibleModelException(String message) {
        super(message, null, false, false);
    }
}

package dev.freshet.engine.models;

/** A request that cannot be read: the message says what is wrong with it. */
public final class RequestParseException extends Exception {
    public RequestParseException(String message) {
        super(message, null, false, false);
    }
}

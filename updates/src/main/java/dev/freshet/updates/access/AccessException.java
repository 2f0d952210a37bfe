package dev.freshet.updates.access;

/** A request about tenants or keys that cannot be done as asked; the message says why. */
public final class AccessException extends RuntimeException {
    public AccessException(String message) {
        super(message);
    }
}

package dev.freshet.updates.access;

/** A request about tenants or keys that cannot be done as asked; the message says why, the kind how it failed. */
public final class AccessException extends RuntimeException {
    /** How a request failed. */
    public enum Kind {
        /** The request itself is wrong (a bad name, an unknown role). */
        INVALID,
        /** It clashes with what exists (a tenant of that name). */
        CONFLICT,
        /** The acting key may not do it (another tenant's keys, a role above its own). */
        FORBIDDEN,
        /** What it names does not exist. */
        NOT_FOUND
    }

    private final Kind kind;

    public AccessException(String message) {
        this(Kind.INVALID, message);
    }

    public AccessException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

package dev.freshet.updates.billing;

/** A request about credits or plans that cannot be done as asked; the kind says how it failed. */
public final class CreditException extends RuntimeException {
    /** How a request failed; each maps to one HTTP status. */
    public enum Kind {
        /** The request itself is wrong (400). */
        INVALID,
        /** The balance does not cover the charge (402). */
        INSUFFICIENT,
        /** The tenant's plan does not allow it (403). */
        FORBIDDEN,
        /** The tenant does not exist (404). */
        NOT_FOUND,
        /** An idempotency key already names a different entry (409). */
        CONFLICT
    }

    private final Kind kind;

    public CreditException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

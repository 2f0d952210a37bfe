package dev.freshet.updates.release;

/**
 * A request about releases or overrides that cannot be carried out as asked (unknown or ambiguous
 * release, nothing to roll back to, bad override). The message is meant for the user as is; the
 * kind tells callers how it failed, so none has to read the message.
 */
public class ReleaseException extends RuntimeException {
    /** How a request failed. */
    public enum Kind {
        /** The request cannot be carried out as asked. */
        INVALID,
        /** What it names (a release, a rollout under way) does not exist. */
        NOT_FOUND
    }

    private final Kind kind;

    public ReleaseException(String message) {
        this(Kind.INVALID, message);
    }

    public ReleaseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

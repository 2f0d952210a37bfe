package dev.freshet.updates.community;

/** Input a caller can fix (a bad verdict, an unknown rule, a contribution in a wrong state): one clear message. */
public final class CommunityException extends RuntimeException {
    /** What kind of refusal: the API answers 400, 404 or 409 by it. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public CommunityException(String message) {
        this(Kind.INVALID, message);
    }

    public CommunityException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

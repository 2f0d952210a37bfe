package dev.freshet.app;

/** A problem the user can fix (bad path, bad option value); printed as one line, no stack trace. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}

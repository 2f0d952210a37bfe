package dev.freshet.updates.release;

/**
 * A request about releases or overrides that cannot be carried out as asked (unknown or ambiguous
 * release, nothing to roll back to, bad override). The message is meant for the user as is.
 */
public class ReleaseException extends RuntimeException {
    public ReleaseException(String message) {
        super(message);
    }
}

package dev.freshet.updates.tuf;

/**
 * A signed repository could not be used: a verification failed (bad signature, rollback, expiry,
 * hash mismatch), a download failed, or local state could not be read or written. The message
 * names the file or role and the problem, ready to show to a user.
 */
public final class TufException extends Exception {
    public TufException(String message) {
        super(message);
    }

    public TufException(String message, Throwable cause) {
        super(message, cause);
    }
}

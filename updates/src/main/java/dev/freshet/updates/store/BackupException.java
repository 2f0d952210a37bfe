package dev.freshet.updates.store;

/** A backup or restore that cannot be done as asked (a hostile or damaged archive, a live store in the way). */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }
}

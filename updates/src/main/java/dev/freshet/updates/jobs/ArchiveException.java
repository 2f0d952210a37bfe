package dev.freshet.updates.jobs;

/** An uploaded archive was refused; the message names the upload and what is wrong with it. */
public final class ArchiveException extends Exception {
    public ArchiveException(String message) {
        super(message);
    }

    public ArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}

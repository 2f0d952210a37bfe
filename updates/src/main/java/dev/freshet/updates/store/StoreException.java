package dev.freshet.updates.store;

/** The store cannot be opened or migrated; the message names the file and what to do. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

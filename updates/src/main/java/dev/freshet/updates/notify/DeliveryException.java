package dev.freshet.updates.notify;

/** A channel did not accept a message (unreachable, refused, timed out); the delivery is retried later. */
public final class DeliveryException extends Exception {
    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.freshet.updates.notify;

import dev.freshet.engine.hash.Sha256;

/** Somewhere notifications go. Each channel reads the event log from a cursor of its own, kept under {@link #id}. */
public sealed interface Channel permits WebhookChannel, SlackChannel, EmailChannel {
    /** Stable across restarts and free of secrets: the kind and a hash of the target. */
    String id();

    /** What a person may see in logs and reports (no tokens, no passwords). */
    String label();

    /** Sends the message, or says why the channel did not take it. */
    void send(Message message) throws DeliveryException;

    static String idOf(String kind, String target) {
        return kind + "-" + Sha256.hex(target).substring(0, 16);
    }
}

package dev.freshet.updates.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.updates.events.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A generic webhook: the message as a JSON object ({@code delivery_id}, {@code kind}, {@code title},
 * {@code events} with every field of each event), signed with {@link WebhookSignature}, with the
 * delivery id as {@code Idempotency-Key} so a receiver keeps a retried delivery once.
 */
public record WebhookChannel(URI url, byte[] secret, HttpClient http, Clock clock) implements Channel {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return Channel.idOf("webhook", url.toString());
    }

    @Override
    public String label() {
        return "webhook " + JsonPost.safe(url);
    }

    @Override
    public void send(Message message) throws DeliveryException {
        byte[] body = body(message);
        long timestamp = clock.instant().getEpochSecond();
        JsonPost.send(http, url, body, Map.of(
                WebhookSignature.DELIVERY_HEADER, message.deliveryId(),
                WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp),
                WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, body)));
    }

    static byte[] body(Message message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("delivery_id", message.deliveryId());
        json.put("kind", message.kind().name().toLowerCase(Locale.ROOT));
        json.put("created_at", message.createdAt().toString());
        json.put("title", message.title());
        json.put("events", message.events().stream().map(WebhookChannel::event).toList());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a message is always JSON", e);
        }
    }

    private static Map<String, Object> event(Event e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("occurred_at", e.occurredAt().toString());
        json.put("type", e.type().name());
        json.put("severity", e.severity().name());
        json.put("release_id", e.releaseId());
        json.put("previous_release_id", e.previousReleaseId());
        json.put("summary", EventText.line(e));
        json.put("payload", e.payload());
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookChannel w && w.url.equals(url);
    }

    @Override
    public int hashCode() {
        return url.hashCode();
    }

    /** The secret never leaves through a log line. */
    @Override
    public String toString() {
        return label();
    }
}

package dev.freshet.updates.notify;

import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What one delivery carries to one channel: one event sent at once, a digest of several, or a test.
 *
 * @param deliveryId the same on every retry of this delivery: the receiver's idempotency key
 */
public record Message(String deliveryId, Kind kind, List<Event> events, Instant createdAt) {
    public enum Kind { IMMEDIATE, DIGEST, TEST }

    public Message {
        events = List.copyOf(events);
    }

    /** The most severe event's severity, INFO for a test. */
    public EventType.Severity severity() {
        return events.stream().map(Event::severity).max(Comparator.naturalOrder()).orElse(EventType.Severity.INFO);
    }

    /** One line for a subject or a header. */
    public String title() {
        return switch (kind) {
            case TEST -> "Freshet test notification";
            case IMMEDIATE -> "Freshet " + severity() + ": " + EventText.headline(events.getFirst());
            case DIGEST -> "Freshet digest: " + events.size() + " event" + (events.size() == 1 ? "" : "s")
                    + (severity() == EventType.Severity.INFO ? "" : " (" + severity() + ")");
        };
    }

    /** The events as lines of plain text, oldest first. */
    public List<String> lines() {
        if (kind == Kind.TEST) {
            return List.of("This is a test message from Freshet (delivery " + deliveryId + "). Notifications reach this channel.");
        }
        return events.stream().map(EventText::line).toList();
    }
}

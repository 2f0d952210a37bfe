package dev.freshet.updates.events;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the event log.
 *
 * @param id      position in the log, 1 for the first event
 * @param payload details by name, stored as a JSON object
 */
public record Event(long id, Instant occurredAt, EventType type, EventType.Severity severity, String releaseId,
                    String previousReleaseId, Map<String, Object> payload) {
    public Event {
        payload = Map.copyOf(payload);
    }
}

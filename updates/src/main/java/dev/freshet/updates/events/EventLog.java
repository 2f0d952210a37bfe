package dev.freshet.updates.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.updates.store.SharedWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The store's event log. Writers append inside the transaction of the change the event records
 * ({@link #append}), so an event exists exactly when its change does.
 */
public final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, occurred_at, type, severity, release_id, previous_release_id, payload";

    private final Jdbi jdbi;

    public EventLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Appends an event in the caller's transaction and returns it with its id. */
    public static Event append(Handle h, Instant at, EventType type, String releaseId, String previousReleaseId,
                               Map<String, Object> payload) {
        SharedWrites.lock(h, "events"); // ids are taken in order, also by another node
        long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM events").mapTo(Long.class).one();
        Event event = new Event(id, at, type, type.severity(), releaseId, previousReleaseId, payload);
        h.createUpdate("INSERT INTO events (" + COLUMNS + ") VALUES (:id, :at, :type, :severity, :release, :previous, :payload)")
                .bind("id", id).bind("at", at.toEpochMilli()).bind("type", type.name()).bind("severity", event.severity().name())
                .bind("release", releaseId).bind("previous", previousReleaseId).bind("payload", json(event.payload()))
                .execute();
        return event;
    }

    /** Appends an event in a transaction of its own. */
    public Event append(Instant at, EventType type, String releaseId, Map<String, Object> payload) {
        return jdbi.inTransaction(h -> append(h, at, type, releaseId, null, payload));
    }

    /** Events after {@code afterId}, oldest first, at most {@code limit}. */
    public List<Event> after(long afterId, int limit) {
        return jdbi.withHandle(h -> after(h, afterId, limit));
    }

    /** {@link #after(long, int)} in the caller's transaction. */
    public static List<Event> after(Handle h, long afterId, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM events WHERE id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit).map((rs, ctx) -> event(rs)).list();
    }

    /** The events with these ids, oldest first. */
    public static List<Event> byIds(Handle h, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return h.createQuery("SELECT " + COLUMNS + " FROM events WHERE id IN (<ids>) ORDER BY id")
                .bindList("ids", List.copyOf(ids)).map((rs, ctx) -> event(rs)).list();
    }

    /** The id of the newest event, 0 when there is none. */
    public static long newest(Handle h) {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
    }

    /** The id of the newest event of this type, 0 when there is none: a version number for what it records. */
    public static long newest(Handle h, EventType type) {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events WHERE type = :type").bind("type", type.name())
                .mapTo(Long.class).one();
    }

    /** The id of the newest event of any of these types, 0 when there is none. */
    public static long newest(Handle h, Collection<EventType> types) {
        return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events WHERE type IN (<types>)")
                .bindList("types", types.stream().map(Enum::name).toList()).mapTo(Long.class).one();
    }

    /**
     * How many events of one type and severity lie after a reader's position, and the newest id among
     * them. Type and severity are kept as stored, so events a newer node wrote are counted too.
     */
    public record Tally(String type, String severity, long count, long newestId) { }

    /**
     * Events after {@code afterId} counted per type and severity: a reader that moves its position to
     * the newest id counts every event once, as ids are taken in commit order.
     */
    public List<Tally> countAfter(long afterId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT type, severity, COUNT(*) AS n, MAX(id) AS newest FROM events "
                        + "WHERE id > :after GROUP BY type, severity ORDER BY type, severity")
                .bind("after", afterId)
                .map((rs, ctx) -> new Tally(rs.getString("type"), rs.getString("severity"), rs.getLong("n"), rs.getLong("newest")))
                .list());
    }

    private static Event event(ResultSet rs) throws SQLException {
        try {
            return new Event(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("occurred_at")), EventType.valueOf(rs.getString("type")),
                    EventType.Severity.valueOf(rs.getString("severity")), rs.getString("release_id"),
                    rs.getString("previous_release_id"), JSON.readValue(rs.getString("payload"), new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + rs.getLong("id") + " has an unreadable payload: " + e.getMessage(), e);
        }
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event payload is not JSON: " + e.getMessage(), e);
        }
    }
}

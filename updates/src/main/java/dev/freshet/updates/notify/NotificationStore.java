package dev.freshet.updates.notify;

import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.store.SharedWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Each channel's cursor in the event log and its deliveries. {@link #collect} moves a cursor and
 * files the events it passed into deliveries in one transaction, so every event is filed once per
 * channel, also across restarts and nodes; a delivery stays pending, under the same id, until the
 * receiver accepts it.
 */
public final class NotificationStore {
    /** Events filed per transaction: a long backlog is worked off in slices. */
    static final int BATCH = 500;

    private final Jdbi jdbi;

    public NotificationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A delivery as sent: its message, and how often it was tried before. */
    public record Due(Message message, int attempts) {
    }

    /** Per channel: what waits, what was delivered, and the last refusal. */
    public record ChannelStatus(String channel, long cursor, long pending, long collecting, long delivered, long oldestPendingMillis,
                                String lastError) {
    }

    /**
     * Files the events after the channel's cursor into deliveries as {@code routing} says, moves
     * the cursor past them, and makes digests whose time came pending. A channel seen for the first
     * time starts at the newest event: it is sent what happens from now on, not the whole history.
     *
     * @return the number of events the cursor passed
     */
    public int collect(String channel, Routing routing, Instant now) {
        return jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "notify " + channel);
            Optional<Long> cursor = h.createQuery("SELECT last_event_id FROM notification_cursors WHERE channel = :channel")
                    .bind("channel", channel).mapTo(Long.class).findOne();
            if (cursor.isEmpty()) {
                h.createUpdate("INSERT INTO notification_cursors (channel, last_event_id, updated_at) VALUES (:channel, :id, :now)")
                        .bind("channel", channel).bind("id", EventLog.newest(h)).bind("now", now.toEpochMilli()).execute();
                return 0;
            }
            List<Event> events = EventLog.after(h, cursor.get(), BATCH);
            for (Event event : events) {
                switch (routing.route(event, now)) {
                    case Routing.Route.Now n -> file(h, channel, "e%012d".formatted(event.id()), Message.Kind.IMMEDIATE, "PENDING", now, now, event);
                    case Routing.Route.InDigest d -> file(h, channel, "d" + d.due().getEpochSecond(), Message.Kind.DIGEST, "COLLECTING",
                            d.due(), now, event);
                    case Routing.Route.Skip s -> { }
                }
            }
            if (!events.isEmpty()) {
                h.createUpdate("UPDATE notification_cursors SET last_event_id = :id, updated_at = :now WHERE channel = :channel")
                        .bind("id", events.getLast().id()).bind("now", now.toEpochMilli()).bind("channel", channel).execute();
            }
            h.createUpdate("UPDATE notification_deliveries SET status = 'PENDING' WHERE channel = :channel AND status = 'COLLECTING' AND due_at <= :now")
                    .bind("channel", channel).bind("now", now.toEpochMilli()).execute();
            return events.size();
        });
    }

    private static void file(Handle h, String channel, String suffix, Message.Kind kind, String status, Instant due, Instant now, Event event) {
        String id = channel + "-" + suffix;
        h.createUpdate("""
                        INSERT INTO notification_deliveries (id, channel, kind, status, created_at, due_at, attempts)
                        VALUES (:id, :channel, :kind, :status, :now, :due, 0) ON CONFLICT (id) DO NOTHING""")
                .bind("id", id).bind("channel", channel).bind("kind", kind.name()).bind("status", status)
                .bind("now", now.toEpochMilli()).bind("due", due.toEpochMilli()).execute();
        h.createUpdate("INSERT INTO notification_delivery_events (delivery_id, event_id) VALUES (:id, :event) ON CONFLICT DO NOTHING")
                .bind("id", id).bind("event", event.id()).execute();
    }

    /**
     * The channel's deliveries due now, oldest first, each leased to this caller for {@code lease}
     * so another node does not send it meanwhile.
     */
    public List<Due> claim(String channel, Instant now, Duration lease, int limit) {
        return jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "notify " + channel);
            record Row(String id, Message.Kind kind, Instant createdAt, int attempts) { }
            List<Row> rows = h.createQuery("""
                            SELECT id, kind, created_at, attempts FROM notification_deliveries
                            WHERE channel = :channel AND status = 'PENDING' AND due_at <= :now
                              AND (lease_until IS NULL OR lease_until < :now)
                            ORDER BY due_at, id LIMIT :limit""")
                    .bind("channel", channel).bind("now", now.toEpochMilli()).bind("limit", limit)
                    .map((rs, ctx) -> new Row(rs.getString("id"), Message.Kind.valueOf(rs.getString("kind")),
                            Instant.ofEpochMilli(rs.getLong("created_at")), rs.getInt("attempts"))).list();
            List<Due> due = new ArrayList<>();
            for (Row row : rows) {
                h.createUpdate("UPDATE notification_deliveries SET lease_until = :until WHERE id = :id")
                        .bind("until", now.plus(lease).toEpochMilli()).bind("id", row.id()).execute();
                List<Long> ids = h.createQuery("SELECT event_id FROM notification_delivery_events WHERE delivery_id = :id")
                        .bind("id", row.id()).mapTo(Long.class).list();
                due.add(new Due(new Message(row.id(), row.kind(), EventLog.byIds(h, ids), row.createdAt()), row.attempts()));
            }
            return due;
        });
    }

    public void delivered(String deliveryId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE notification_deliveries SET status = 'DELIVERED', delivered_at = :at, attempts = attempts + 1,
                            lease_until = NULL, last_error = NULL WHERE id = :id""")
                .bind("at", at.toEpochMilli()).bind("id", deliveryId).execute());
    }

    /** The receiver did not take it: it stays pending, to be tried again. */
    public void failed(String deliveryId, String error) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE notification_deliveries SET attempts = attempts + 1, lease_until = NULL, last_error = :error WHERE id = :id""")
                .bind("error", error.length() > 1000 ? error.substring(0, 1000) : error).bind("id", deliveryId).execute());
    }

    /** Gives a claimed delivery back untried: its channel is backing off. */
    public void release(String deliveryId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE notification_deliveries SET lease_until = NULL WHERE id = :id")
                .bind("id", deliveryId).execute());
    }

    /** How long the oldest delivery of any channel has waited past its due time: 0 when nothing is overdue. */
    public Duration overdue(Instant now) {
        long oldest = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MIN(due_at), 0) FROM notification_deliveries WHERE status = 'PENDING'")
                .mapTo(Long.class).one());
        return oldest == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, now.toEpochMilli() - oldest));
    }

    public ChannelStatus status(String channel, Instant now) {
        return jdbi.withHandle(h -> {
            long cursor = h.createQuery("SELECT COALESCE(MAX(last_event_id), 0) FROM notification_cursors WHERE channel = :channel")
                    .bind("channel", channel).mapTo(Long.class).one();
            long[] counts = new long[3];
            List<String> states = List.of("PENDING", "COLLECTING", "DELIVERED");
            for (int i = 0; i < states.size(); i++) {
                counts[i] = h.createQuery("SELECT count(*) FROM notification_deliveries WHERE channel = :channel AND status = :status")
                        .bind("channel", channel).bind("status", states.get(i)).mapTo(Long.class).one();
            }
            long oldest = h.createQuery("SELECT COALESCE(MIN(due_at), 0) FROM notification_deliveries WHERE channel = :channel AND status = 'PENDING'")
                    .bind("channel", channel).mapTo(Long.class).one();
            String lastError = h.createQuery("""
                            SELECT last_error FROM notification_deliveries WHERE channel = :channel AND status = 'PENDING'
                              AND last_error IS NOT NULL ORDER BY due_at DESC, id DESC LIMIT 1""")
                    .bind("channel", channel).mapTo(String.class).findOne().orElse(null);
            return new ChannelStatus(channel, cursor, counts[0], counts[1], counts[2], oldest == 0 ? 0 : Math.max(0, now.toEpochMilli() - oldest),
                    lastError);
        });
    }
}

package dev.freshet.updates.rollout;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.store.SharedWrites;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Updates a check found but could not apply (outside the maintenance window, or waiting for
 * approval), so that {@code update status} can say what is waiting and why.
 */
public final class PendingUpdates {
    private final Jdbi jdbi;
    private final Clock clock;

    public record Pending(String source, String revision, String releaseId, boolean security, String reason, Instant detectedAt) {
    }

    public PendingUpdates(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records what waits; an older pending update of the same source is superseded by it. */
    public void record(String source, String revision, String releaseId, boolean security, String reason) {
        jdbi.useTransaction(h -> {
            SharedWrites.lock(h, "pending_updates");
            h.createUpdate("UPDATE pending_updates SET status = 'SUPERSEDED', resolved_at = :now "
                            + "WHERE source_name = :source AND status = 'PENDING' AND revision <> :revision")
                    .bind("source", source).bind("revision", revision).bind("now", clock.millis()).execute();
            boolean known = h.createQuery("SELECT count(*) FROM pending_updates WHERE source_name = :source AND revision = :revision")
                    .bind("source", source).bind("revision", revision).mapTo(Integer.class).one() > 0;
            if (!known) {
                long id = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM pending_updates").mapTo(Long.class).one();
                h.createUpdate("""
                                INSERT INTO pending_updates (id, source_name, revision, detected_at, security, summary, release_id, status)
                                VALUES (:id, :source, :revision, :now, :security, :reason, :release, 'PENDING')""")
                        .bind("id", id).bind("source", source).bind("revision", revision).bind("now", clock.millis())
                        .bind("security", security).bind("reason", reason).bind("release", releaseId).execute();
                EventLog.append(h, clock.instant(), EventType.UPDATE_HELD, releaseId, null, Map.of("source", source,
                        "revision", revision, "security", security, "waits_for", reason));
            }
        });
    }

    /** Marks everything pending as applied once a release built from it (or a later one) is active. */
    public void resolveAll() {
        jdbi.useHandle(h -> resolveAll(h, clock.instant()));
    }

    /** {@link #resolveAll()} in the caller's transaction. */
    static void resolveAll(Handle h, Instant now) {
        h.createUpdate("UPDATE pending_updates SET status = 'APPLIED', resolved_at = :now WHERE status = 'PENDING'")
                .bind("now", now.toEpochMilli()).execute();
    }

    public List<Pending> pending() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT source_name, revision, release_id, security, summary, detected_at FROM pending_updates
                        WHERE status = 'PENDING' ORDER BY detected_at""")
                .map((rs, ctx) -> new Pending(rs.getString("source_name"), rs.getString("revision"), rs.getString("release_id"),
                        rs.getBoolean("security"), rs.getString("summary"), Instant.ofEpochMilli(rs.getLong("detected_at"))))
                .list());
    }
}

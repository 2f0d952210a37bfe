package dev.freshet.updates.learning;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.store.SharedWrites;
import dev.freshet.updates.store.StoredJson;
import dev.freshet.engine.models.HttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What operators say about a model's verdicts on scored requests: a flagged request that was
 * benign (a false positive), an attack it let through (a missed attack). Each report is kept with
 * the request as scored and the version that scored it, with its event in the same transaction;
 * the counts per version feed the metrics and a rollout's false-positive analysis.
 */
public final class ModelFeedback {
    public enum Kind { FALSE_POSITIVE, MISSED_ATTACK }

    /** One report as stored. */
    public record Report(long id, String releaseId, Kind kind, String note, Instant reportedAt) {
    }

    /** A report with the request it is about, as learning reads it. */
    public record Reported(long id, Kind kind, HttpRequest request) {
    }

    /** Reports of one kind against one version. */
    public record Count(String releaseId, Kind kind, long reports) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public ModelFeedback(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records a report on the verdict release {@code releaseId} (id or unique prefix) of the track gave on {@code request}. */
    public Report report(Track track, String releaseId, Kind kind, HttpRequest request, String note, String reportedBy) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return jdbi.inTransaction(h -> {
            String id = ReleaseStore.resolve(h, releaseId);
            if (!ReleaseStore.trackOf(h, id).equals(track)) {
                throw new ReleaseException("Release " + ReleaseStore.shortId(id) + " is not a version of " + track + ".");
            }
            SharedWrites.lock(h, "model_feedback");
            long next = h.createQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM model_feedback").mapTo(Long.class).one();
            h.createUpdate("""
                            INSERT INTO model_feedback (id, track, release_id, kind, request, note, reported_by, reported_at)
                            VALUES (:id, :track, :release, :kind, :request, :note, :by, :at)""")
                    .bind("id", next).bind("track", track.name()).bind("release", id).bind("kind", kind.name())
                    .bind("request", StoredJson.write(request)).bind("note", note).bind("by", reportedBy).bind("at", now.toEpochMilli())
                    .execute();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("track", track.name());
            payload.put("kind", kind.name());
            payload.put("method", request.method());
            payload.put("path", request.path());
            EventLog.append(h, now, EventType.MODEL_FEEDBACK, id, null, payload);
            return new Report(next, id, kind, note, now);
        });
    }

    /** The reports on any version of the track after report {@code afterId}, oldest first, at most {@code limit}. */
    public List<Reported> after(Track track, long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, kind, request FROM model_feedback WHERE track = :track AND id > :after ORDER BY id LIMIT :limit""")
                .bind("track", track.name()).bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> new Reported(rs.getLong(1), Kind.valueOf(rs.getString(2)), StoredJson.read(rs.getString(3), HttpRequest.class)))
                .list());
    }

    /** Reports per version and kind on the track. */
    public List<Count> counts(Track track) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT release_id, kind, COUNT(*) FROM model_feedback WHERE track = :track GROUP BY release_id, kind""")
                .bind("track", track.name())
                .map((rs, ctx) -> new Count(rs.getString(1), Kind.valueOf(rs.getString(2)), rs.getLong(3))).list());
    }
}

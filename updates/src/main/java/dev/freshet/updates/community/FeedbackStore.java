package dev.freshet.updates.community;

import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.store.SharedWrites;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Stored feedback. A batch is checked whole (every rule known, every release existing) and stored
 * in one transaction, or not at all.
 */
public final class FeedbackStore {
    /** Verdicts one call may carry. */
    public static final int MAX_BATCH = 1000;
    private static final String COLUMNS = "id, received_at, tenant, contributor, rule_id, release_id, verdict, fingerprint, path, "
            + "language, code, accuracy, usefulness, comment";

    private final Jdbi jdbi;
    private final Clock clock;

    public FeedbackStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Stores the verdicts, attributed to {@code giver}, and returns them with their ids.
     *
     * @throws CommunityException when the batch is empty or too large, a rule is in no release, or a
     *                            release does not exist; then nothing is stored
     */
    public List<FeedbackRecord> add(Giver giver, List<NewFeedback> batch) {
        if (batch.isEmpty()) {
            throw new CommunityException("no feedback given");
        }
        if (batch.size() > MAX_BATCH) {
            throw new CommunityException(batch.size() + " verdicts in one call; send at most " + MAX_BATCH);
        }
        return jdbi.inTransaction(h -> {
            Optional<String> active = ReleaseStore.activeId(h, Track.RULES);
            List<FeedbackRecord> records = new ArrayList<>();
            Map<String, Boolean> known = new HashMap<>();
            SharedWrites.lock(h, "feedback");
            long id = h.createQuery("SELECT COALESCE(MAX(id), 0) FROM feedback").mapTo(Long.class).one();
            Instant now = clock.instant();
            for (int i = 0; i < batch.size(); i++) {
                NewFeedback f = batch.get(i);
                String where = batch.size() == 1 ? "" : "verdict " + (i + 1) + ": ";
                String release = f.releaseId() == null ? active.orElse(null) : release(h, f.releaseId(), where);
                if (!known.computeIfAbsent(f.ruleId(), rule -> ruleKnown(h, rule))) {
                    throw new CommunityException(where + "rule '" + f.ruleId() + "' is in no release; check the rule id");
                }
                records.add(new FeedbackRecord(++id, now, giver.tenant(), giver.contributor(), f.ruleId(), release, f.verdict(),
                        f.fingerprint(), f.path(), f.language(), f.code(), f.accuracy(), f.usefulness(), f.comment()));
            }
            insert(h, records);
            return records;
        });
    }

    /** Writes records as they are (ids given); for {@link #add} and for loading simulated feedback quickly. */
    static void insert(Handle h, List<FeedbackRecord> records) {
        PreparedBatch insert = h.prepareBatch("INSERT INTO feedback (" + COLUMNS + ") VALUES (:id, :at, :tenant, :contributor, :rule, "
                + ":release, :verdict, :fingerprint, :path, :language, :code, :accuracy, :usefulness, :comment)");
        for (FeedbackRecord r : records) {
            insert.bind("id", r.id()).bind("at", r.receivedAt().toEpochMilli()).bind("tenant", r.tenant())
                    .bind("contributor", r.contributor()).bind("rule", r.ruleId()).bind("release", r.releaseId())
                    .bind("verdict", r.verdict().name()).bind("fingerprint", r.fingerprint()).bind("path", r.path())
                    .bind("language", r.language()).bind("code", r.code()).bind("accuracy", r.accuracy())
                    .bind("usefulness", r.usefulness()).bind("comment", r.comment()).add();
        }
        insert.execute();
    }

    /** The newest records first, at most {@code limit}, of every tenant or one (its code stays its own), optionally of one rule. */
    public List<FeedbackRecord> list(Optional<String> tenant, Optional<String> ruleId, int limit) {
        List<String> where = new ArrayList<>();
        tenant.ifPresent(t -> where.add("tenant = :tenant"));
        ruleId.ifPresent(r -> where.add("rule_id = :rule"));
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT " + COLUMNS + " FROM feedback" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                    + " ORDER BY id DESC LIMIT :limit").bind("limit", limit);
            tenant.ifPresent(t -> query.bind("tenant", t));
            ruleId.ifPresent(rule -> query.bind("rule", rule));
            return query.map((rs, ctx) -> record(rs)).list();
        });
    }

    /**
     * The examples a rule patch is made from: of one rule and verdict, the newest record of each code
     * from each tenant (a flood of one code from one tenant is one example), newest first.
     */
    public List<FeedbackRecord> examples(String ruleId, FeedbackVerdict verdict, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM feedback WHERE id IN (SELECT MAX(id) FROM feedback "
                        + "WHERE rule_id = :rule AND verdict = :verdict AND code IS NOT NULL GROUP BY code, tenant) ORDER BY id DESC LIMIT :limit")
                .bind("rule", ruleId).bind("verdict", verdict.name()).bind("limit", limit).map((rs, ctx) -> record(rs)).list());
    }

    private static String release(Handle h, String given, String where) {
        try {
            return ReleaseStore.resolve(h, given);
        } catch (ReleaseException e) {
            throw new CommunityException(where + e.getMessage());
        }
    }

    private static boolean ruleKnown(Handle h, String ruleId) {
        return h.createQuery("SELECT COUNT(*) FROM release_rules WHERE rule_id = :rule").bind("rule", ruleId).mapTo(Long.class).one() > 0;
    }

    private static FeedbackRecord record(ResultSet rs) throws SQLException {
        return new FeedbackRecord(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("received_at")), rs.getString("tenant"),
                rs.getString("contributor"), rs.getString("rule_id"), rs.getString("release_id"),
                FeedbackVerdict.valueOf(rs.getString("verdict")), rs.getString("fingerprint"), rs.getString("path"),
                rs.getString("language"), rs.getString("code"), rating(rs, "accuracy"),
                rating(rs, "usefulness"), rs.getString("comment"));
    }

    private static Integer rating(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}

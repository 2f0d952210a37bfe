package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.Advisories;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.freshet.updates.store.SharedWrites;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * Feed advisories in the store: each feed's copy of each advisory, the ids it is known by, and
 * where each feed's sync stands. A page and the cursor after it are stored in one transaction, so
 * a sync stopped at any point resumes without losing or repeating a record.
 */
public final class AdvisoryStore {
    /**
     * Feeds whose records lead a merged group (their summary and id win): package feeds first, KEV
     * last, then by feed and id. Sorted in Java, not SQL: PostgreSQL's collations order text unlike
     * SQLite's, and the merge must come out the same on both.
     */
    private static final Comparator<StoredRecord> LEADERS_FIRST = Comparator
            .comparingInt((StoredRecord r) -> switch (r.feed()) {
                case "kev" -> 2;
                case "nvd" -> 1;
                default -> 0;
            })
            .thenComparing(StoredRecord::feed).thenComparing(StoredRecord::id);

    private record StoredRecord(String feed, String id, String record) {
    }

    private final Jdbi jdbi;

    /** Where one feed's sync stands; times are null until it happened. */
    public record FeedState(String feed, String cursor, Instant lastAttemptAt, Instant lastSuccessAt, String lastError,
                            long records) {
        static FeedState empty(String feed) {
            return new FeedState(feed, null, null, null, null, 0);
        }
    }

    public AdvisoryStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores {@code page} as {@code feed}'s: upserts its advisories (a snapshot page first drops the
     * feed's other records) and moves the feed's cursor to the page's, all or nothing.
     */
    public void storePage(String feed, FeedPage page, Instant storedAt) {
        Map<String, Advisory> byId = new LinkedHashMap<>();
        page.advisories().forEach(a -> byId.put(a.id(), a)); // a page naming an id twice: the later copy wins
        jdbi.useTransaction(h -> {
            SharedWrites.lock(h, "feed " + feed); // two nodes syncing one feed: its pages are stored one at a time
            ensureState(h, feed);
            if (page.snapshot()) {
                h.createUpdate("DELETE FROM advisory_ids WHERE feed = :feed").bind("feed", feed).execute();
                h.createUpdate("DELETE FROM advisories WHERE feed = :feed").bind("feed", feed).execute();
            }
            if (!byId.isEmpty()) {
                PreparedBatch upsert = h.prepareBatch("""
                        INSERT INTO advisories (feed, id, modified_at, withdrawn, record, stored_at)
                        VALUES (:feed, :id, :modified, :withdrawn, :record, :storedAt)
                        ON CONFLICT (feed, id) DO UPDATE SET modified_at = excluded.modified_at,
                            withdrawn = excluded.withdrawn, record = excluded.record, stored_at = excluded.stored_at""");
                PreparedBatch forgetIds = h.prepareBatch("DELETE FROM advisory_ids WHERE feed = :feed AND advisory_id = :id");
                PreparedBatch addIds = h.prepareBatch("INSERT INTO advisory_ids (feed, advisory_id, alias) VALUES (:feed, :id, :alias)");
                for (Advisory a : byId.values()) {
                    upsert.bind("feed", feed).bind("id", a.id()).bind("modified", millis(a.modified()))
                            .bind("withdrawn", a.isWithdrawn()).bind("record", AdvisoryJson.write(a))
                            .bind("storedAt", storedAt.toEpochMilli()).add();
                    forgetIds.bind("feed", feed).bind("id", a.id()).add();
                    for (String alias : a.ids()) {
                        addIds.bind("feed", feed).bind("id", a.id()).bind("alias", alias).add();
                    }
                }
                upsert.execute();
                forgetIds.execute();
                addIds.execute();
            }
            h.createUpdate("""
                    UPDATE feed_state SET sync_cursor = :cursor,
                        record_count = (SELECT count(*) FROM advisories WHERE feed = :feed)
                    WHERE feed = :feed""")
                    .bind("cursor", page.cursor()).bind("feed", feed).execute();
        });
    }

    public void recordAttempt(String feed, Instant at) {
        jdbi.useTransaction(h -> {
            ensureState(h, feed);
            h.createUpdate("UPDATE feed_state SET last_attempt_at = :at WHERE feed = :feed")
                    .bind("at", at.toEpochMilli()).bind("feed", feed).execute();
        });
    }

    /** Notes a completed sync; a feed that was reported stale is reported recovered in the same transaction. */
    public void recordSuccess(String feed, Instant at) {
        jdbi.useTransaction(h -> {
            ensureState(h, feed);
            Long staleSince = h.createQuery("SELECT stale_since FROM feed_state WHERE feed = :feed").bind("feed", feed)
                    .mapTo(Long.class).one();
            h.createUpdate("UPDATE feed_state SET last_success_at = :at, last_error = NULL, stale_since = NULL WHERE feed = :feed")
                    .bind("at", at.toEpochMilli()).bind("feed", feed).execute();
            if (staleSince != null) {
                EventLog.append(h, at, EventType.FEED_RECOVERED, null, null, Map.of("feed", feed,
                        "stale_for_seconds", Duration.between(Instant.ofEpochMilli(staleSince), at).toSeconds()));
            }
        });
    }

    /**
     * Notes why the last sync failed; the records and cursor stored before stay. When the stored data
     * is now older than {@code freshnessTarget} (or there is none), the feed is reported stale, once
     * until it recovers.
     */
    public void recordFailure(String feed, Instant at, String error, Duration freshnessTarget) {
        jdbi.useTransaction(h -> {
            ensureState(h, feed);
            h.createUpdate("UPDATE feed_state SET last_error = :error WHERE feed = :feed")
                    .bind("error", error).bind("feed", feed).execute();
            FeedState state = state(h, feed);
            boolean stale = state.lastSuccessAt() == null || Duration.between(state.lastSuccessAt(), at).compareTo(freshnessTarget) > 0;
            boolean reported = h.createQuery("SELECT stale_since FROM feed_state WHERE feed = :feed").bind("feed", feed)
                    .mapTo(Long.class).one() != null;
            if (stale && !reported) {
                h.createUpdate("UPDATE feed_state SET stale_since = :at WHERE feed = :feed")
                        .bind("at", at.toEpochMilli()).bind("feed", feed).execute();
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("feed", feed);
                payload.put("error", error);
                payload.put("freshness_target_seconds", freshnessTarget.toSeconds());
                if (state.lastSuccessAt() != null) {
                    payload.put("last_success", state.lastSuccessAt().toString());
                }
                EventLog.append(h, at, EventType.FEED_STALE, null, null, payload);
            }
        });
    }

    public FeedState state(String feed) {
        return jdbi.withHandle(h -> state(h, feed));
    }

    private static FeedState state(Handle h, String feed) {
        return h.createQuery("SELECT * FROM feed_state WHERE feed = :feed").bind("feed", feed)
                .map((rs, ctx) -> new FeedState(rs.getString("feed"), rs.getString("sync_cursor"),
                        instant(rs.getObject("last_attempt_at")), instant(rs.getObject("last_success_at")),
                        rs.getString("last_error"), rs.getLong("record_count")))
                .findOne().orElse(FeedState.empty(feed));
    }

    /** One feed's records as it gave them, not merged. */
    public List<Advisory> load(String feed) {
        return jdbi.withHandle(h -> read(h.createQuery("SELECT feed, id, record FROM advisories WHERE feed = :feed")
                .bind("feed", feed)));
    }

    /**
     * A fingerprint of the whole store that changes whenever a record is stored, replaced or
     * withdrawn (every write sets {@code stored_at}), read with one aggregate query, so asking
     * "anything new?" costs nothing like loading the records.
     */
    public String stamp() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT feed, count(*) AS n, max(stored_at) AS latest, sum(stored_at) AS total
                        FROM advisories GROUP BY feed ORDER BY feed""")
                .map((rs, ctx) -> rs.getString("feed") + ":" + rs.getLong("n") + ":" + rs.getLong("latest") + ":" + rs.getLong("total"))
                .list()).toString();
    }

    /**
     * Every feed's records, each group that shares an id merged into one (so the KEV flag, NVD's
     * vectors and OSV's packages meet on one record). Withdrawn records are kept; matching skips them.
     */
    public List<Advisory> loadAll() {
        List<Advisory> all = jdbi.withHandle(h -> read(h.createQuery("SELECT feed, id, record FROM advisories")));
        return Advisories.merged(all);
    }

    /**
     * The merged advisory known by {@code anyId}: the records that carry that id, and those sharing
     * any other id with them, in any feed.
     */
    public Optional<Advisory> find(String anyId) {
        List<Advisory> related = jdbi.withHandle(h -> {
            List<String> ids = h.createQuery("""
                    SELECT DISTINCT other.alias FROM advisory_ids known
                    JOIN advisory_ids other ON other.feed = known.feed AND other.advisory_id = known.advisory_id
                    WHERE known.alias = :id""").bind("id", anyId).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return List.<Advisory>of();
            }
            return read(h.createQuery("""
                    SELECT feed, id, record FROM advisories WHERE EXISTS (SELECT 1 FROM advisory_ids i
                        WHERE i.feed = advisories.feed AND i.advisory_id = advisories.id AND i.alias IN (<ids>))""")
                    .bindList("ids", ids));
        });
        return Advisories.merged(related).stream().filter(a -> a.ids().contains(anyId)).findFirst();
    }

    public List<FeedState> states() {
        List<String> feeds = jdbi.withHandle(h -> h.createQuery("SELECT feed FROM feed_state").mapTo(String.class).list())
                .stream().sorted().toList();
        List<FeedState> states = new ArrayList<>();
        feeds.forEach(feed -> states.add(state(feed)));
        return states;
    }

    private static List<Advisory> read(Query query) {
        List<StoredRecord> records = query.map((rs, ctx) -> new StoredRecord(rs.getString("feed"), rs.getString("id"), rs.getString("record")))
                .list().stream().sorted(LEADERS_FIRST).toList();
        List<Advisory> advisories = records.stream().map(r -> AdvisoryJson.read(r.record())).toList();
        return withPackageFeedsFirst(records, advisories);
    }

    /**
     * NVD's packages (read from CPE names) are a fallback: a CVE that a package feed (OSV, GitHub)
     * also describes keeps that feed's packages and ranges alone, which name the package exactly,
     * and NVD's record adds only its ids, vectors and weaknesses to the merge.
     */
    private static List<Advisory> withPackageFeedsFirst(List<StoredRecord> records, List<Advisory> advisories) {
        Set<String> describedByPackageFeeds = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            if (!records.get(i).feed().equals(NvdFeed.NAME) && !advisories.get(i).affected().isEmpty()) {
                describedByPackageFeeds.addAll(advisories.get(i).ids());
            }
        }
        List<Advisory> out = new ArrayList<>(advisories.size());
        for (int i = 0; i < records.size(); i++) {
            Advisory a = advisories.get(i);
            boolean yields = records.get(i).feed().equals(NvdFeed.NAME) && !a.affected().isEmpty()
                    && a.ids().stream().anyMatch(describedByPackageFeeds::contains);
            out.add(yields ? new Advisory(a.id(), a.aliases(), a.summary(), a.published(), a.modified(), a.withdrawn(), List.of(),
                    a.severityVectors(), a.cwes(), a.kev()) : a);
        }
        return out;
    }

    private static void ensureState(Handle h, String feed) {
        h.createUpdate("INSERT INTO feed_state (feed, record_count) VALUES (:feed, 0) ON CONFLICT (feed) DO NOTHING")
                .bind("feed", feed).execute();
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(Object millis) {
        return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
    }
}

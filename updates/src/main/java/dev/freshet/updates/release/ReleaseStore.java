package dev.freshet.updates.release;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoredJson;
import dev.freshet.updates.store.SharedWrites;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Immutable releases of every track and the one activation history. There is deliberately no way
 * to change or delete a stored release or a history row: a track's active release is the one named
 * by the track's newest history row, so activating and rolling back each append one row in one
 * short transaction. Methods without a track work on {@link Track#RULES}.
 */
public final class ReleaseStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseStore.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");
    private static final String ACTIVATION_COLUMNS =
            "seq, release_id, previous_release_id, activated_at, kind, triggered_by, reason, track";

    private final Jdbi jdbi;
    private final Clock clock;

    public ReleaseStore(Database database) {
        this(database.jdbi(), Clock.systemUTC());
    }

    public ReleaseStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Stores the rules as a release, or returns the existing release with the same content (then the
     * given report is not stored). Its parent, which the diff is taken against, is the active
     * release, or the newest release when none is active yet.
     */
    public Release create(List<AcceptedRule> rules, GateReport report) {
        return create(Track.RULES, rules, report, Map.of());
    }

    /**
     * Stores the items as a release of {@code track} needing the given releases of other tracks
     * (track name to release id or unique prefix), or returns the existing release with the same
     * content. A needed release must exist and belong to the track it is named for.
     */
    public Release create(Track track, List<AcceptedRule> rules, GateReport report, Map<String, String> needs) {
        return jdbi.inTransaction(h -> create(h, track, rules, report, needs, carried(h, track, rules)));
    }

    /**
     * What a new release of the track takes over from the active one: its generated overrides whose
     * rule it still has (a rule on probation stays demoted through updates until the probation ends).
     */
    private static ReleaseNotes carried(Handle h, Track track, List<AcceptedRule> rules) {
        Set<String> ids = new HashSet<>(rules.stream().map(AcceptedRule::id).toList());
        List<GeneratedOverride> kept = activeId(h, track).map(id -> notes(h, id).overrides()).orElse(List.of()).stream()
                .filter(o -> ids.contains(o.ruleId())).toList();
        return kept.isEmpty() ? ReleaseNotes.NONE : ReleaseNotes.generated(kept, Map.of());
    }

    /**
     * {@link #create(Track, List, GateReport, Map)} in the caller's transaction, with the notes only
     * some kinds of release keep (a model's evaluation, a refusal).
     */
    public Release create(Handle h, Track track, List<AcceptedRule> rules, GateReport report, Map<String, String> needs,
                          ReleaseNotes notes) {
        checkRules(rules, notes.overrides());
        String id = Release.idOf(track, rules, notes.overrides());
        List<AcceptedRule> sorted = rules.stream().sorted(Comparator.comparing(AcceptedRule::id)).toList();
        {
            SharedWrites.lock(h, "releases"); // another node may store the same release or take the same seq
            Optional<Release> existing = load(h, id);
            if (existing.isPresent()) {
                return existing.get();
            }
            Map<String, String> needed = new TreeMap<>();
            needs.forEach((needTrack, release) -> needed.put(Track.of(needTrack).name(), resolveOn(h, Track.of(needTrack), release)));
            if (needed.containsKey(track.name())) {
                throw new ReleaseException("A release of " + track + " cannot need a release of its own track.");
            }
            String parentId = activeId(h, track)
                    .or(() -> h.createQuery("SELECT id FROM releases WHERE track = :track ORDER BY seq DESC LIMIT 1")
                            .bind("track", track.name()).mapTo(String.class).findOne())
                    .orElse(null);
            ReleaseDiff diff = parentId == null ? ReleaseDiff.between(List.of(), List.of(), sorted, notes.overrides())
                    : ReleaseDiff.between(rules(h, parentId), notes(h, parentId).overrides(), sorted, notes.overrides());
            Release created = new Release(id, track, now(), parentId, sorted, report, diff, needed, notes);
            insert(h, created);
            EventLog.append(h, created.createdAt(), EventType.RELEASE_CREATED, id, parentId, Map.of("track", track.name(),
                    "items", sorted.size(), "added", diff.added().size(), "removed", diff.removed().size(), "changed", diff.changed().size()));
            LOG.info("release {} of {} stored: {} items, {} added, {} removed, {} changed against {}{}", id, track, sorted.size(),
                    diff.added().size(), diff.removed().size(), diff.changed().size(), parentId,
                    notes.refused() ? ", refused: " + String.join("; ", notes.refusals()) : "");
            return created;
        }
    }

    /** The release with this id or unique id prefix; a prefix that fits several releases is an error. */
    public Optional<Release> find(String idOrUniquePrefix) {
        // Reads need no transaction (which would take the write lock): releases never change.
        return jdbi.withHandle(h -> lookup(h, idOrUniquePrefix).flatMap(id -> load(h, id)));
    }

    /** All releases of the {@code rules} track, newest first. */
    public List<ReleaseSummary> list() {
        return list(Track.RULES);
    }

    /** All releases of the track, newest first. */
    public List<ReleaseSummary> list(Track track) {
        return jdbi.withHandle(h -> {
            String active = activeId(h, track).orElse(null);
            return h.createQuery("""
                            SELECT id, created_at, parent_id, rule_count, accepted_count, rejected_count, skipped_count,
                                   added_count, removed_count, changed_count
                            FROM releases WHERE track = :track ORDER BY seq DESC""")
                    .bind("track", track.name())
                    .map((rs, ctx) -> new ReleaseSummary(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("created_at")),
                            rs.getString("parent_id"), rs.getInt("rule_count"), rs.getInt("accepted_count"),
                            rs.getInt("rejected_count"), rs.getInt("skipped_count"), rs.getInt("added_count"),
                            rs.getInt("removed_count"), rs.getInt("changed_count"), rs.getString("id").equals(active)))
                    .list();
        });
    }

    /** The release of {@code rules} live now, if any has been activated. */
    public Optional<Release> active() {
        return active(Track.RULES);
    }

    /** The id of the release of the track live now (without loading it), if any has been activated. */
    public Optional<String> activeId(Track track) {
        return jdbi.withHandle(h -> activeId(h, track));
    }

    /** The release of the track live now, if any has been activated. */
    public Optional<Release> active(Track track) {
        // Two reads without a transaction are consistent: the pointer is one row, releases never change.
        return jdbi.withHandle(h -> activeId(h, track).flatMap(id -> load(h, id)));
    }

    /**
     * Makes the release (id or unique prefix) live. Activating the release that is already live
     * changes nothing and returns its current history row. Callers outside the store go through
     * the activation service, which also settles what was pending and logs the event.
     */
    public Activation activate(String releaseId, Trigger trigger, String reason) {
        return logged(jdbi.inTransaction(h -> activate(h, releaseId, trigger, reason)));
    }

    /**
     * Makes {@code toRelease} live again, by default the release that was live before the current
     * one (so two rollbacks in a row return to where they started). Rolling back to the release
     * that is already live changes nothing and returns its current history row.
     */
    public Activation rollback(Optional<String> toRelease, Trigger trigger, String reason) {
        return logged(jdbi.inTransaction(h -> rollback(h, Track.RULES, toRelease, trigger, reason)));
    }

    /** A history row, and whether this call appended it (false: the release was live already). */
    public record Change(Activation activation, boolean appended) {
    }

    /**
     * {@link #activate(String, Trigger, String)} in the caller's transaction, on the release's own
     * track. The releases it needs must be live on their tracks.
     */
    public Change activate(Handle h, String releaseId, Trigger trigger, String reason) {
        SharedWrites.lock(h, "activations");
        String id = resolve(h, releaseId);
        Track track = trackOf(h, id);
        Optional<Activation> current = latest(h, track);
        if (current.isPresent() && current.get().releaseId().equals(id)) {
            return new Change(current.get(), false);
        }
        checkActivatable(h, id);
        return appended(append(h, track, id, current.map(Activation::releaseId).orElse(null), Activation.Kind.ACTIVATE, trigger, reason));
    }

    /** {@link #rollback(Optional, Trigger, String)} on the track, in the caller's transaction. */
    public Change rollback(Handle h, Track track, Optional<String> toRelease, Trigger trigger, String reason) {
        SharedWrites.lock(h, "activations");
        Activation current = latest(h, track).orElseThrow(() ->
                new ReleaseException("Nothing to roll back: no release has been activated yet"
                        + (track.equals(Track.RULES) ? "." : " on " + track + ".")));
        String target = toRelease.isPresent() ? resolveOn(h, track, toRelease.get()) : Optional
                .ofNullable(current.previousReleaseId())
                .orElseThrow(() -> new ReleaseException("Nothing to roll back to: release " + shortId(current.releaseId())
                        + " is the first release ever activated. Name the release to roll back to."));
        if (target.equals(current.releaseId())) {
            return new Change(current, false);
        }
        checkActivatable(h, target);
        return appended(append(h, track, target, current.releaseId(), Activation.Kind.ROLLBACK, trigger, reason));
    }

    /** The releases of other tracks this release needs, track name to release id. */
    public static Map<String, String> needs(Handle h, String releaseId) {
        Map<String, String> needs = new TreeMap<>();
        h.createQuery("SELECT track, needed_release_id FROM release_needs WHERE release_id = :id").bind("id", releaseId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> needs.put(e.getKey(), e.getValue()));
        return needs;
    }

    /** The track a stored release belongs to. */
    public static Track trackOf(Handle h, String releaseId) {
        return Track.of(h.createQuery("SELECT track FROM releases WHERE id = :id").bind("id", releaseId).mapTo(String.class).one());
    }

    /**
     * Refuses a release its gate refused (kept only as a record, with its reasons) and one whose
     * needed releases are not live: whoever would make it live or start rolling it out asks here.
     */
    public static void checkActivatable(Handle h, String releaseId) {
        ReleaseNotes notes = notes(h, releaseId);
        if (notes.refused()) {
            throw new ReleaseException("Release " + shortId(releaseId) + " was refused by its gate and can never be activated: "
                    + String.join("; ", notes.refusals()));
        }
        checkNeedsLive(h, releaseId);
    }

    /** The notes of a stored release ({@link ReleaseNotes#NONE} when it has none), in the caller's transaction. */
    public static ReleaseNotes notes(Handle h, String releaseId) {
        String notes = h.createQuery("SELECT notes FROM releases WHERE id = :id").bind("id", releaseId).mapTo(String.class)
                .findOne().orElse(null);
        return notes == null ? ReleaseNotes.NONE : StoredJson.read(notes, ReleaseNotes.class);
    }

    private static void checkNeedsLive(Handle h, String releaseId) {
        needs(h, releaseId).forEach((track, needed) -> {
            Optional<String> live = activeId(h, Track.of(track));
            if (!live.map(needed::equals).orElse(false)) {
                throw new ReleaseException("Release " + shortId(releaseId) + " needs release " + shortId(needed) + " of " + track
                        + " live, but " + live.map(id -> shortId(id) + " is").orElse("nothing is") + " live there. "
                        + "Activate " + shortId(needed) + " first, or both in one update.");
            }
        });
    }

    private static Change appended(Activation activation) {
        return new Change(activation, true);
    }

    /** The sequence number of the newest history row, 0 before the first activation: changes with every activation. */
    public long latestSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM activations").mapTo(Long.class).one());
    }

    /** Every activation and rollback of {@code rules}, oldest first. */
    public List<Activation> history() {
        return history(Track.RULES);
    }

    /** Every activation and rollback of the track, oldest first. */
    public List<Activation> history(Track track) {
        return jdbi.withHandle(h -> history(h, track));
    }

    /** {@link #history(Track)} in the caller's transaction. */
    public static List<Activation> history(Handle h, Track track) {
        return h.createQuery("SELECT " + ACTIVATION_COLUMNS + " FROM activations WHERE track = :track ORDER BY seq")
                .bind("track", track.name())
                .map((rs, ctx) -> activation(rs)).list();
    }

    /** The history row that made a release of {@code rules} live at that instant. */
    public Optional<Activation> liveAt(Instant at) {
        return liveAt(Track.RULES, at);
    }

    /** The history row that made a release of the track live at that instant: what was live then. */
    public Optional<Activation> liveAt(Track track, Instant at) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ACTIVATION_COLUMNS
                        + " FROM activations WHERE track = :track AND activated_at <= :at ORDER BY seq DESC LIMIT 1")
                .bind("track", track.name()).bind("at", at.toEpochMilli())
                .map((rs, ctx) -> activation(rs)).findOne());
    }

    /** What changes going from release {@code a} to release {@code b} (ids or unique prefixes) of {@code rules}. */
    public ReleaseDiff diff(String a, String b) {
        return diff(Track.RULES, a, b);
    }

    /** What changes going from release {@code a} to release {@code b} (ids or unique prefixes), both of the track. */
    public ReleaseDiff diff(Track track, String a, String b) {
        return jdbi.withHandle(h -> {
            String from = resolveOn(h, track, a);
            String to = resolveOn(h, track, b);
            return ReleaseDiff.between(rules(h, from), notes(h, from).overrides(), rules(h, to), notes(h, to).overrides());
        });
    }

    /** The tracks with at least one release whose name starts with {@code prefix} (such as "models/"), sorted. */
    public List<Track> tracks(String prefix) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT track FROM releases WHERE track LIKE :prefix")
                .bind("prefix", prefix + "%").mapTo(String.class).list()).stream().sorted().map(Track::of).toList();
    }

    /**
     * Retention: deletes the releases of the track beyond its newest {@code keep} that nothing
     * refers to (no history row, no rollout, no other release as needed or parent, no feedback), then
     * the blobs only they held. The active release and a rollout's candidate are always referred to
     * (by history, by the rollout), so they stay. Returns the ids deleted.
     */
    public List<String> collect(Track track, int keep) {
        if (keep < 1) {
            throw new ReleaseException("retention must keep at least 1 release, not " + keep);
        }
        List<String> deleted = jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "releases");
            SharedWrites.lock(h, "activations");
            List<String> old = h.createQuery("""
                            SELECT r.id FROM releases r WHERE r.track = :track
                              AND r.seq < COALESCE((SELECT MIN(seq) FROM (SELECT seq FROM releases WHERE track = :track
                                                                          ORDER BY seq DESC LIMIT :keep) newest), 0)
                              AND NOT EXISTS (SELECT 1 FROM activations a WHERE a.release_id = r.id OR a.previous_release_id = r.id)
                              AND NOT EXISTS (SELECT 1 FROM rollouts o WHERE o.release_id = r.id OR o.stable_release_id = r.id)
                              AND NOT EXISTS (SELECT 1 FROM release_needs n WHERE n.needed_release_id = r.id)
                              AND NOT EXISTS (SELECT 1 FROM pending_updates p WHERE p.release_id = r.id)
                              AND NOT EXISTS (SELECT 1 FROM model_feedback f WHERE f.release_id = r.id)""")
                    .bind("track", track.name()).bind("keep", keep).mapTo(String.class).list();
            for (String id : old) {
                List<String> blobs = h.createQuery("SELECT sha256 FROM release_rules WHERE release_id = :id").bind("id", id)
                        .mapTo(String.class).list();
                // A younger release diffed against this one keeps its diff; only the pointer goes.
                h.createUpdate("UPDATE releases SET parent_id = NULL WHERE parent_id = :id").bind("id", id).execute();
                h.createUpdate("DELETE FROM release_needs WHERE release_id = :id").bind("id", id).execute();
                h.createUpdate("DELETE FROM release_rules WHERE release_id = :id").bind("id", id).execute();
                h.createUpdate("DELETE FROM releases WHERE id = :id").bind("id", id).execute();
                for (String blob : blobs) {
                    h.createUpdate("DELETE FROM blobs WHERE sha256 = :sha AND NOT EXISTS (SELECT 1 FROM release_rules WHERE sha256 = :sha)")
                            .bind("sha", blob).execute();
                }
            }
            return old;
        });
        if (!deleted.isEmpty()) {
            LOG.info("retention on {} (keeping the newest {}): deleted releases {}", track, keep,
                    deleted.stream().map(ReleaseStore::shortId).toList());
        }
        return deleted;
    }

    public static String shortId(String releaseId) {
        return releaseId.length() > 12 ? releaseId.substring(0, 12) : releaseId;
    }

    private static void checkRules(List<AcceptedRule> rules, List<GeneratedOverride> overrides) {
        Set<String> ids = new HashSet<>();
        overrides.stream().filter(o -> rules.stream().noneMatch(r -> r.id().equals(o.ruleId()))).findFirst().ifPresent(o -> {
            throw new IllegalArgumentException("a generated override names rule '" + o.ruleId() + "', which the release does not have");
        });
        for (AcceptedRule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("two rules with id '" + rule.id() + "' in one release");
            }
            if (!Hashes.sha256(rule.yaml()).equals(rule.sha256())) {
                throw new IllegalArgumentException("rule '" + rule.id() + "' from " + rule.source() + " has sha256 "
                        + rule.sha256() + ", which is not the hash of its YAML");
            }
        }
    }

    private void insert(Handle h, Release release) {
        long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM releases").mapTo(Long.class).one();
        long now = release.createdAt().toEpochMilli();
        List<Verdict> verdicts = release.report().verdicts();
        h.createUpdate("""
                        INSERT INTO releases (id, seq, created_at, parent_id, rule_count, accepted_count, rejected_count,
                                              skipped_count, added_count, removed_count, changed_count, gate_report, diff, track, notes)
                        VALUES (:id, :seq, :createdAt, :parentId, :rules, :accepted, :rejected, :skipped,
                                :added, :removed, :changed, :report, :diff, :track, :notes)""")
                .bind("notes", release.notes().equals(ReleaseNotes.NONE) ? null : StoredJson.write(release.notes()))
                .bind("id", release.id()).bind("track", release.track().name()).bind("seq", seq).bind("createdAt", now).bind("parentId", release.parentId())
                .bind("rules", release.rules().size())
                .bind("accepted", count(verdicts, Verdict.Outcome.ACCEPTED))
                .bind("rejected", count(verdicts, Verdict.Outcome.REJECTED))
                .bind("skipped", count(verdicts, Verdict.Outcome.SKIPPED))
                .bind("added", release.diff().added().size()).bind("removed", release.diff().removed().size())
                .bind("changed", release.diff().changed().size())
                .bind("report", StoredJson.write(release.report())).bind("diff", StoredJson.write(release.diff()))
                .execute();
        // Rule YAML is stored once, however many releases contain it.
        PreparedBatch blobs = h.prepareBatch("""
                INSERT INTO blobs (sha256, content, size, created_at) VALUES (:sha256, :content, :size, :createdAt)
                ON CONFLICT (sha256) DO NOTHING""");
        PreparedBatch members = h.prepareBatch("""
                INSERT INTO release_rules (release_id, rule_id, source, path, sha256)
                VALUES (:releaseId, :ruleId, :source, :path, :sha256)""");
        for (AcceptedRule rule : release.rules()) {
            blobs.bind("sha256", rule.sha256()).bind("content", rule.yaml())
                    .bind("size", rule.yaml().getBytes(StandardCharsets.UTF_8).length).bind("createdAt", now).add();
            members.bind("releaseId", release.id()).bind("ruleId", rule.id()).bind("source", rule.source())
                    .bind("path", rule.path()).bind("sha256", rule.sha256()).add();
        }
        if (!release.rules().isEmpty()) {
            blobs.execute();
            members.execute();
        }
        release.needs().forEach((track, needed) -> h.createUpdate(
                        "INSERT INTO release_needs (release_id, track, needed_release_id) VALUES (:id, :track, :needed)")
                .bind("id", release.id()).bind("track", track).bind("needed", needed).execute());
    }

    private static int count(List<Verdict> verdicts, Verdict.Outcome outcome) {
        return (int) verdicts.stream().filter(v -> v.outcome() == outcome).count();
    }

    private record ReleaseRow(String id, String track, long createdAt, String parentId, String report, String diff) {
    }

    static Optional<Release> load(Handle h, String id) {
        return h.createQuery("SELECT id, track, created_at, parent_id, gate_report, diff FROM releases WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new ReleaseRow(rs.getString("id"), rs.getString("track"), rs.getLong("created_at"),
                        rs.getString("parent_id"), rs.getString("gate_report"), rs.getString("diff")))
                .findOne()
                .map(row -> new Release(row.id(), Track.of(row.track()), Instant.ofEpochMilli(row.createdAt()), row.parentId(),
                        rules(h, id), StoredJson.read(row.report(), GateReport.class), StoredJson.read(row.diff(), ReleaseDiff.class), needs(h, id),
                        notes(h, id)));
    }

    /** The release with this id, in the caller's transaction. */
    public static Optional<Release> find(Handle h, String id) {
        return load(h, id);
    }

    /** Rules sorted in Java, not SQL: collations differ between SQLite and PostgreSQL. */
    static List<AcceptedRule> rules(Handle h, String releaseId) {
        return h.createQuery("""
                        SELECT r.rule_id, r.source, r.path, b.content, r.sha256
                        FROM release_rules r JOIN blobs b ON b.sha256 = r.sha256
                        WHERE r.release_id = :id""")
                .bind("id", releaseId)
                .map((rs, ctx) -> new AcceptedRule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list().stream().sorted(Comparator.comparing(AcceptedRule::id)).toList();
    }


    /** The id of the release of the track live now, in the caller's transaction. */
    public static Optional<String> activeId(Handle h, Track track) {
        return h.createQuery("SELECT release_id FROM activations WHERE track = :track ORDER BY seq DESC LIMIT 1")
                .bind("track", track.name()).mapTo(String.class).findOne();
    }

    private static Optional<Activation> latest(Handle h, Track track) {
        return h.createQuery("SELECT " + ACTIVATION_COLUMNS + " FROM activations WHERE track = :track ORDER BY seq DESC LIMIT 1")
                .bind("track", track.name())
                .map((rs, ctx) -> activation(rs)).findOne();
    }

    private static Optional<String> lookup(Handle h, String idOrPrefix) {
        String key = idOrPrefix.strip().toLowerCase(Locale.ROOT);
        if (!HEX.matcher(key).matches()) {
            return Optional.empty();
        }
        List<String> ids = h.createQuery("SELECT id FROM releases WHERE id LIKE :prefix ORDER BY id LIMIT 3")
                .bind("prefix", key + "%").mapTo(String.class).list();
        if (ids.size() > 1) {
            throw new ReleaseException("'" + idOrPrefix + "' fits several releases (" + String.join(", ",
                    ids.stream().map(ReleaseStore::shortId).toList()) + (ids.size() > 2 ? ", ..." : "")
                    + "); give more characters of the release id.");
        }
        return ids.stream().findFirst();
    }

    /** The release with this id or unique prefix, in the caller's transaction. */
    public static String resolve(Handle h, String idOrPrefix) {
        return lookup(h, idOrPrefix).orElseThrow(() -> new ReleaseException(ReleaseException.Kind.NOT_FOUND,
                "No release '" + idOrPrefix + "'. List the releases to see their ids."));
    }

    /** {@link #resolve}, refusing a release of another track. */
    private static String resolveOn(Handle h, Track track, String idOrPrefix) {
        String id = resolve(h, idOrPrefix);
        Track actual = trackOf(h, id);
        if (!actual.equals(track)) {
            throw new ReleaseException("Release " + shortId(id) + " belongs to track " + actual + ", not " + track
                    + ". Give --track " + actual + " or a release of " + track + ".");
        }
        return id;
    }

    private Activation append(Handle h, Track track, String releaseId, String previousId, Activation.Kind kind, Trigger trigger,
                              String reason) {
        long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM activations").mapTo(Long.class).one();
        Activation activation = new Activation(seq, releaseId, previousId, now(), kind, trigger, reason, track.name());
        h.createUpdate("INSERT INTO activations (" + ACTIVATION_COLUMNS
                        + ") VALUES (:seq, :releaseId, :previousId, :at, :kind, :trigger, :reason, :track)")
                .bind("seq", seq).bind("releaseId", releaseId).bind("previousId", previousId).bind("track", track.name())
                .bind("at", activation.at().toEpochMilli()).bind("kind", kind.name()).bind("trigger", trigger.name())
                .bind("reason", reason)
                .execute();
        // Other nodes swap their knowledge as soon as this row is committed, not at their next poll.
        SharedWrites.notifyOnCommit(h, SharedWrites.KNOWLEDGE_CHANNEL, kind.name().toLowerCase(Locale.ROOT) + " " + seq + " " + releaseId);
        return activation;
    }

    private static Activation activation(ResultSet rs) throws SQLException {
        return new Activation(rs.getLong("seq"), rs.getString("release_id"), rs.getString("previous_release_id"),
                Instant.ofEpochMilli(rs.getLong("activated_at")), Activation.Kind.valueOf(rs.getString("kind")),
                Trigger.valueOf(rs.getString("triggered_by")), rs.getString("reason"), rs.getString("track"));
    }

    /** Logs a committed change; returns its history row. */
    public static Activation logged(Change change) {
        if (change.appended()) {
            Activation a = change.activation();
            LOG.info("release {} of {} live ({} #{} by {}, previous {}): {}", a.releaseId(), a.track(), a.kind(), a.seq(), a.trigger(),
                    a.previousReleaseId(), a.reason());
        }
        return change.activation();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS); // what the store keeps
    }
}

package dev.freshet.updates.community;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Contributors' reputation, kept as a ledger: each gain or loss is one entry under a key that says
 * what earned it, so nothing is counted twice. Everyone starts at {@link #START}; the sum of the
 * entries moves it within {@link #MIN} and {@link #MAX}. The reputation is the weight of a
 * contributor's feedback, so a contributor whose verdicts keep contradicting the consensus soon
 * weighs little.
 */
public final class Reputation {
    public static final double START = 1.0;
    public static final double MIN = 0.05;
    public static final double MAX = 5.0;
    /** Gains and losses. */
    public static final double APPROVED = 1.0;
    public static final double REJECTED_IN_REVIEW = -0.5;
    public static final double REJECTED_BY_GATE = -0.25;
    public static final double AGREED = 0.02;
    public static final double CONTRADICTED = -0.1;

    /** One contributor's standing. */
    public record Standing(String contributor, double reputation, int entries, int approved, int rejected) {
    }

    /** One gain or loss, and what earned it. */
    public record Entry(String key, double delta, String reason, Instant recordedAt) {
    }

    /** One contributor's standing with every entry behind it, oldest first. */
    public record Account(Standing standing, List<Entry> entries) {
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public Reputation(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Records a gain or loss once: an entry with the same key is left as it is. */
    void record(Handle h, String contributor, String key, double delta, String reason) {
        boolean present = h.createQuery("SELECT COUNT(*) FROM reputation_entries WHERE contributor = :c AND entry_key = :k")
                .bind("c", contributor).bind("k", key).mapTo(Long.class).one() > 0;
        if (!present) {
            h.createUpdate("INSERT INTO reputation_entries (contributor, entry_key, delta, reason, recorded_at) VALUES (:c, :k, :d, :r, :at)")
                    .bind("c", contributor).bind("k", key).bind("d", delta).bind("r", reason).bind("at", clock.millis()).execute();
        }
    }

    /** Every contributor with an entry, by reputation. */
    public List<Standing> standings() {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT contributor, SUM(delta) AS total, COUNT(*) AS entries,
                               SUM(CASE WHEN entry_key LIKE 'approved:%' THEN 1 ELSE 0 END) AS approved,
                               SUM(CASE WHEN entry_key LIKE 'rejected:%' THEN 1 ELSE 0 END) AS rejected
                        FROM reputation_entries GROUP BY contributor""")
                .map((rs, ctx) -> new Standing(rs.getString("contributor"), clamp(START + rs.getDouble("total")), rs.getInt("entries"),
                        rs.getInt("approved"), rs.getInt("rejected")))
                .list().stream()
                .sorted((a, b) -> a.reputation() != b.reputation() ? Double.compare(b.reputation(), a.reputation())
                        : a.contributor().compareTo(b.contributor()))
                .toList());
    }

    /** One contributor's standing and ledger; empty when they have no entry (a typo, or nothing earned yet). */
    public Optional<Account> account(String contributor) {
        List<Entry> entries = jdbi.withHandle(h -> h.createQuery(
                        "SELECT entry_key, delta, reason, recorded_at FROM reputation_entries WHERE contributor = :c")
                .bind("c", contributor)
                .map((rs, ctx) -> new Entry(rs.getString("entry_key"), rs.getDouble("delta"), rs.getString("reason"),
                        Instant.ofEpochMilli(rs.getLong("recorded_at"))))
                .list()).stream().sorted(Comparator.comparing(Entry::recordedAt).thenComparing(Entry::key)).toList();
        return standings().stream().filter(s -> s.contributor().equals(contributor)).findFirst()
                .map(standing -> new Account(standing, entries));
    }

    /** One contributor's reputation ({@link #START} for one without entries). */
    public double of(String contributor) {
        return jdbi.withHandle(h -> of(h, contributor));
    }

    static double of(Handle h, String contributor) {
        return clamp(START + h.createQuery("SELECT COALESCE(SUM(delta), 0) FROM reputation_entries WHERE contributor = :c")
                .bind("c", contributor).mapTo(Double.class).one());
    }

    /** Every contributor's reputation with entries; the others have {@link #START}. */
    static Map<String, Double> all(Handle h) {
        Map<String, Double> all = new HashMap<>();
        h.createQuery("SELECT contributor, SUM(delta) AS total FROM reputation_entries GROUP BY contributor")
                .map((rs, ctx) -> Map.entry(rs.getString("contributor"), clamp(START + rs.getDouble("total"))))
                .forEach(e -> all.put(e.getKey(), e.getValue()));
        return all;
    }

    static double clamp(double reputation) {
        return Math.max(MIN, Math.min(MAX, reputation));
    }
}

package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable, content-addressed release of one track: the exact items (sorted by id) with where
 * each came from, the gate's report, the diff from its parent release, and the releases of other
 * tracks it needs live. Its items are rules on {@code rules} and on a tenant's track; on a model's
 * track the one item is the model artifact, stored like a rule's text as a blob addressed by SHA-256.
 *
 * @param parentId the release of the same track this one was diffed against, or null for the first one
 * @param needs    track name to the release of that track this one needs live
 * @param notes    what only some kinds record (a model's evaluation and provenance, refusals)
 */
public record Release(String id, Track track, Instant createdAt, String parentId, List<AcceptedRule> rules,
                      GateReport report, ReleaseDiff diff, Map<String, String> needs, ReleaseNotes notes) {
    public Release {
        rules = List.copyOf(rules);
        report = new GateReport(report.verdicts(), report.failedSources());
        needs = Collections.unmodifiableMap(new TreeMap<>(needs));
        notes = notes == null ? ReleaseNotes.NONE : notes;
    }

    /**
     * The id a release of these items has on this track: on {@code rules}, {@link #idOf(Collection)}
     * (so ids from before tracks stay valid); on other tracks the track's name is part of the
     * content, so equal items on two tracks are two releases.
     */
    public static String idOf(Track track, Collection<AcceptedRule> rules) {
        if (track.equals(Track.RULES)) {
            return idOf(rules);
        }
        MessageDigest digest = Hashes.digest();
        digest.update(("track " + track.name() + "\n" + idOf(rules)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * {@link #idOf(Track, Collection)}, and with generated overrides their hash too: the same rules
     * with a rule demoted are another release (ids of releases without any stay as they were).
     */
    public static String idOf(Track track, Collection<AcceptedRule> rules, List<GeneratedOverride> overrides) {
        String id = idOf(track, rules);
        if (overrides.isEmpty()) {
            return id;
        }
        MessageDigest digest = Hashes.digest();
        digest.update(("generated overrides of " + id + "\n").getBytes(StandardCharsets.UTF_8));
        overrides.forEach(o -> digest.update((o.ruleId() + '\0' + o.kind() + '\0' + o.value() + '\0' + o.probation() + '\n')
                .getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The id a release of these rules has: the SHA-256 over the (rule id, rule sha256) pairs sorted
     * by rule id. Sources, paths and the gate report do not change it.
     */
    public static String idOf(Collection<AcceptedRule> rules) {
        MessageDigest digest = Hashes.digest();
        rules.stream().sorted(Comparator.comparing(AcceptedRule::id)).forEach(rule -> {
            digest.update(rule.id().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(rule.sha256().getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) '\n');
        });
        return HexFormat.of().formatHex(digest.digest());
    }
}

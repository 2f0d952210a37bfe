package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * An immutable, content-addressed rule set: the exact rules (sorted by id) with where each came
 * from, the gate's report, and the diff from its parent release.
 *
 * @param parentId the release this one was diffed against, or null for the first one
 */
public record Release(String id, Instant createdAt, String parentId, List<AcceptedRule> rules, GateReport report,
                      ReleaseDiff diff) {
    public Release {
        rules = List.copyOf(rules);
        report = new GateReport(report.verdicts(), report.failedSources());
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

package dev.freshet.updates.rollout;

import dev.freshet.engine.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sticky cohorts: a stable hash of a unit's key (tenant and project for scans) picks a bucket
 * 0-99, the same on every node and across restarts; a candidate serves the buckets below its weight.
 */
public final class Cohorts {
    private Cohorts() {
    }

    /** What a caller may ask for instead of its own bucket, to test a candidate (or to keep away from it). */
    public enum Requested { OWN_BUCKET, CANDIDATE, STABLE }

    /** The bucket of the unit (tenant, project): the first 8 bytes of SHA-256 over both, modulo 100. */
    public static int bucket(String tenant, String project) {
        String key = tenant + "\u0000" + project; // the separator keeps ("ab", "c") apart from ("a", "bc")
        byte[] hash = Sha256.digest().digest(key.getBytes(StandardCharsets.UTF_8));
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (hash[i] & 0xff);
        }
        return (int) Long.remainderUnsigned(value, 100);
    }

    /** The cohort a caller asked for by name (header or field): candidate, stable, or empty for its own bucket. */
    public static Requested requested(String value) {
        if (value == null || value.isBlank()) {
            return Requested.OWN_BUCKET;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "candidate" -> Requested.CANDIDATE;
            case "stable" -> Requested.STABLE;
            default -> throw new IllegalArgumentException("cohort '" + value + "' is not known: use candidate or stable");
        };
    }
}

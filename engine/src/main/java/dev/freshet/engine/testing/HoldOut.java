package dev.freshet.engine.testing;

import dev.freshet.engine.hash.Sha256;

/**
 * The part of a rule corpus kept apart from the one fixes are made against: the rule files whose
 * path (relative to the corpus, with {@code /}) hashes with SHA-256 into the lowest {@code percent}
 * of 100 buckets. The same path is always in the same part, on every machine, so a pass rate on
 * the held-out part shows whether a fix follows the semantics or only fits the shared tests.
 */
public record HoldOut(int percent) {
    /** One rule file in five. */
    public static final HoldOut DEFAULT = new HoldOut(20);

    public HoldOut {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a hold-out share is a percentage, not " + percent);
        }
    }

    public boolean isHeldOut(String rulePath) {
        String hash = Sha256.hex(rulePath);
        long bucket = Long.parseLong(hash.substring(0, 8), 16) % 100;
        return bucket < percent;
    }
}

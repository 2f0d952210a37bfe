package dev.freshet.updates.release;

import java.time.Instant;

/**
 * An override Freshet made itself (a rule on probation demoted) and released as part of a
 * release of {@code rules}: it is content of that release, so activating the release applies it,
 * rolling the release back lifts it, and the history says when and why. Updates built on top of
 * the release carry it forward while its rule is in them.
 *
 * @param probation the probation it carries out
 */
public record GeneratedOverride(String ruleId, OverrideChange.Kind kind, String value, long probation) {
    public static GeneratedOverride of(String ruleId, OverrideChange change, long probation) {
        return new GeneratedOverride(ruleId, change.kind(), Overrides.value(change), probation);
    }

    public OverrideChange change() {
        return Overrides.change(kind, value);
    }

    /** As a local override without a base hash, for {@link Overrides#apply}. */
    LocalOverride asLocal() {
        return new LocalOverride(0, ruleId, change(), null, Instant.EPOCH);
    }
}

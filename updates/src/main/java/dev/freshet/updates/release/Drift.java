package dev.freshet.updates.release;

/** An override whose upstream rule changed since the override was made: it may no longer fit. */
public record Drift(LocalOverride override, String currentSha256) {
    public String ruleId() {
        return override.ruleId();
    }
}

package dev.freshet.updates.gate;

/** The gate's decision on one candidate rule, and why. */
public record Verdict(String ruleId, String source, String path, Outcome outcome, String reason) {
    public enum Outcome { ACCEPTED, REJECTED, SKIPPED }
}

package dev.freshet.updates.gate;

/**
 * The gate's decision on one candidate rule, and why.
 *
 * @param line where in the rule file the problem is (1-based), 0 when it has no place or none is known
 */
public record Verdict(String ruleId, String source, String path, Outcome outcome, String reason, int line) {
    public enum Outcome { ACCEPTED, REJECTED, SKIPPED }

    public Verdict(String ruleId, String source, String path, Outcome outcome, String reason) {
        this(ruleId, source, path, outcome, reason, 0);
    }
}

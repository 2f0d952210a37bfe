package dev.freshet.updates.generation;

import java.util.Map;

/**
 * What became of one requested rule.
 *
 * @param attempts drafts asked for (1 + retries)
 * @param reason   why it failed (the last problem), or the gate's note when it validated
 * @param yaml     the rule as validated, or the last draft's rule (null when no draft came)
 * @param tests    the rule's test files by name when it validated, else empty
 * @param model    the concrete model (or "templates") that wrote the last draft
 */
public record RuleOutcome(String id, boolean validated, int attempts, String reason, String yaml, Map<String, String> tests,
                          String model, String promptVersion, long tookMillis) {
    public RuleOutcome {
        tests = Map.copyOf(tests);
    }

    public String outcome() {
        return validated ? "validated" : "failed";
    }
}

package dev.freshet.engine.rules;

import java.nio.file.Path;

/**
 * Why a rule (or a whole rule file) could not be loaded. {@code ruleId} is null when the file itself
 * is broken; {@code line} is 1-based (0 when unknown).
 */
public record RuleProblem(Path file, String ruleId, int line, Kind kind, String reason) {
    public enum Kind {
        /** The rule is malformed; fix the rule. */
        INVALID,
        /** The rule is well formed but uses something this engine does not run yet. */
        UNSUPPORTED
    }

    /** The problem without its place: an unsupported feature reads {@code unsupported: <feature>}. */
    public String describe() {
        return kind == Kind.UNSUPPORTED ? "unsupported: " + reason : reason;
    }

    @Override
    public String toString() {
        String where = file + (line > 0 ? ":" + line : "");
        return where + (ruleId != null ? " rule " + ruleId : "") + ": " + describe();
    }
}

package dev.freshet.engine.rules;

/** Why one rule cannot be read or compiled; it becomes that rule's {@link RuleProblem}, the other rules go on. */
final class RuleException extends Exception {
    final RuleProblem.Kind kind;
    final int line;

    private RuleException(RuleProblem.Kind kind, int line, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.line = line;
    }

    /** The rule is malformed at {@code line} (0 when it has no place). */
    static RuleException invalid(int line, String reason) {
        return new RuleException(RuleProblem.Kind.INVALID, line, reason);
    }

    static RuleException invalid(Yaml where, String reason) {
        return invalid(where == null ? 0 : where.line(), reason);
    }

    /** The rule asks for a feature this engine does not run. */
    static RuleException unsupported(int line, String feature) {
        return new RuleException(RuleProblem.Kind.UNSUPPORTED, line, feature);
    }

    static RuleException unsupported(Yaml where, String feature) {
        return unsupported(where == null ? 0 : where.line(), feature);
    }
}

package dev.freshet.updates.release;

import dev.freshet.engine.rules.Severity;
import java.util.Arrays;
import java.util.List;

/** What a local override does to its rule. */
public sealed interface OverrideChange {
    /** How the change is stored (the overrides table's {@code kind} column). */
    enum Kind { DISABLE, SEVERITY, EXCLUDE_PATHS, ADD_PATTERN_NOT }

    Kind kind();

    /** The rule is left out of the effective rule set. */
    record Disable() implements OverrideChange {
        public Kind kind() {
            return Kind.DISABLE;
        }
    }

    /** Replaces the rule's {@code severity}. */
    record SetSeverity(String severity) implements OverrideChange {
        public SetSeverity {
            String given = severity;
            severity = Severity.parse(given == null ? "" : given).map(Enum::name).orElseThrow(() -> new ReleaseException(
                    "Unknown severity '" + given + "'; use one of " + Arrays.toString(Severity.values()) + "."));
        }

        public Kind kind() {
            return Kind.SEVERITY;
        }
    }

    /** Appends globs to the rule's {@code paths.exclude}. */
    record ExcludePaths(List<String> globs) implements OverrideChange {
        public ExcludePaths {
            globs = List.copyOf(globs);
            if (globs.isEmpty() || globs.stream().anyMatch(String::isBlank)) {
                throw new ReleaseException("Excluded paths need at least one glob, none of them empty: " + globs);
            }
        }

        public Kind kind() {
            return Kind.EXCLUDE_PATHS;
        }
    }

    /** Adds a {@code pattern-not} to the rule's top-level pattern. */
    record AddPatternNot(String pattern) implements OverrideChange {
        public AddPatternNot {
            if (pattern == null || pattern.isBlank()) {
                throw new ReleaseException("A pattern-not override needs a pattern.");
            }
        }

        public Kind kind() {
            return Kind.ADD_PATTERN_NOT;
        }
    }
}

package dev.freshet.engine.rules;

import dev.freshet.engine.parse.Language;
import java.util.List;
import java.util.Optional;

/**
 * A rule's matching logic as written: Semgrep's pattern operators read once from the rule's YAML,
 * not yet compiled. {@link RuleLoader} compiles a formula into a {@link Formula} once per file
 * language. Every operator keeps its line in the rule file, so a problem found while compiling
 * (a pattern that does not parse, a bad regex) names where it is.
 */
public sealed interface Operator {
    int line();

    /** {@code pattern}: code to match structurally (in a generic or regex rule, its text form). */
    record Pattern(String text, int line) implements Operator {
    }

    /** {@code pattern-regex} (and the regex of {@code pattern-not-regex} or {@code metavariable-regex}). */
    record Regex(String regex, int line) implements Operator {
    }

    /** {@code pattern-either}: any of the alternatives. */
    record Either(List<Operator> alternatives, int line) implements Operator {
        public Either {
            alternatives = List.copyOf(alternatives);
        }
    }

    /** {@code patterns}: the clauses together, at least one of them a pattern or a condition. */
    record All(List<Clause> clauses, int line) implements Operator {
        public All {
            clauses = List.copyOf(clauses);
        }
    }

    /** One entry of a {@code patterns} list. */
    sealed interface Clause {
    }

    /** {@code pattern}, {@code patterns}, {@code pattern-either} or {@code pattern-regex} inside {@code patterns}. */
    record Match(Operator formula) implements Clause {
    }

    /**
     * {@code pattern-inside}; also a {@code pattern-either} with {@code pattern-inside} alternatives,
     * which constrains the same way.
     */
    record Inside(Operator formula) implements Clause {
    }

    /** {@code pattern-not}. */
    record Not(Operator formula) implements Clause {
    }

    /** {@code pattern-not-inside}. */
    record NotInside(Operator formula) implements Clause {
    }

    /** {@code pattern-not-regex}. */
    record NotRegex(Regex regex) implements Clause {
    }

    /** {@code focus-metavariable}: narrow each match to what these metavariables captured. */
    record Focus(List<String> metavariables) implements Clause {
        public Focus {
            metavariables = List.copyOf(metavariables);
        }
    }

    /** A {@code metavariable-*} filter on what a metavariable captured. */
    sealed interface Condition extends Clause {
        /** Null only for a {@code metavariable-comparison} over several metavariables. */
        String metavariable();

        int line();
    }

    /**
     * {@code metavariable-regex}: the captured text matches from its start; with constant propagation, the
     * value the capture is known to have (a literal's content, a constant variable's value) is matched instead.
     */
    record MetavariableRegex(String metavariable, Regex regex, boolean constantPropagation, int line) implements Condition {
        public MetavariableRegex(String metavariable, Regex regex, int line) {
            this(metavariable, regex, false, line);
        }
    }

    /** {@code metavariable-pattern}: the captured code, parsed in {@code language} when one is given, matches. */
    record MetavariablePattern(String metavariable, Optional<Language> language, Operator formula, int line)
            implements Condition {
    }

    /** {@code metavariable-type}: the captured expression has one of the types. */
    record MetavariableType(String metavariable, List<String> types, int line) implements Condition {
        public MetavariableType {
            types = List.copyOf(types);
        }
    }

    /** {@code metavariable-analysis} with Semgrep's {@code entropy} analyzer: the captured string looks like a secret. */
    record MetavariableEntropy(String metavariable, int line) implements Condition {
    }

    /** {@code metavariable-comparison}: a comparison over captured values holds. */
    record MetavariableComparison(String metavariable, Comparison comparison, int line) implements Condition {
    }
}

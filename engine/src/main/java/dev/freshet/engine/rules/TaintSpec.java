package dev.freshet.engine.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code mode: taint} rule says: where untrusted data comes from, what cleans it, what
 * carries it along and where it must not arrive. Taint labels are numbered bits of a {@code long}
 * (bit 0 is the label of sources that name none), so a set of labels is one number.
 *
 * @param <F>    the form of its formulas: {@link Operator} as read from the rule, {@link Formula} compiled
 * @param labels label names by bit
 */
public record TaintSpec<F>(List<Source<F>> sources, List<Sanitizer<F>> sanitizers, List<Sink<F>> sinks,
                           List<Propagator<F>> propagators, Options options, List<String> labels) {

    public static final String DEFAULT_LABEL = "__SOURCE__";

    public TaintSpec {
        sources = List.copyOf(sources);
        sanitizers = List.copyOf(sanitizers);
        sinks = List.copyOf(sinks);
        propagators = List.copyOf(propagators);
        labels = List.copyOf(labels);
    }

    /** A step that turns one form of formula into another, and may fail as compiling does. */
    public interface FormulaStep<F, G, E extends Exception> {
        G apply(F formula) throws E;
    }

    /** The same spec with each formula turned into another form (as written into compiled). */
    public <G, E extends Exception> TaintSpec<G> map(FormulaStep<F, G, E> step) throws E {
        List<Source<G>> newSources = new ArrayList<>();
        for (Source<F> s : sources) {
            newSources.add(new Source<>(step.apply(s.formula()), s.label(), s.requires(), s.exact(), s.bySideEffect()));
        }
        List<Sanitizer<G>> newSanitizers = new ArrayList<>();
        for (Sanitizer<F> s : sanitizers) {
            newSanitizers.add(new Sanitizer<>(step.apply(s.formula()), s.exact(), s.bySideEffect(), s.notConflicting()));
        }
        List<Sink<G>> newSinks = new ArrayList<>();
        for (Sink<F> s : sinks) {
            newSinks.add(new Sink<>(step.apply(s.formula()), s.requires(), s.exact()));
        }
        List<Propagator<G>> newPropagators = new ArrayList<>();
        for (Propagator<F> p : propagators) {
            newPropagators.add(new Propagator<>(step.apply(p.formula()), p.from(), p.to(), p.bySideEffect(), p.label(), p.requires()));
        }
        return new TaintSpec<>(newSources, newSanitizers, newSinks, newPropagators, options, labels);
    }

    /** Whether a source, sanitizer or propagator also changes the variable it matches exactly. */
    public enum SideEffect { NO, YES, ONLY }

    /**
     * @param label    the bit this source's taint carries
     * @param requires null, or what the matched code must already carry for the label to be added
     * @param exact    only the matched code itself is tainted, not its parts
     */
    public record Source<F>(F formula, int label, LabelCondition requires, boolean exact, SideEffect bySideEffect) {
    }

    /** @param notConflicting dropped where it matches the very range of a source or sink */
    public record Sanitizer<F>(F formula, boolean exact, boolean bySideEffect, boolean notConflicting) {
    }

    /** @param requires null (any taint) or the labels the data reaching the sink must carry */
    public record Sink<F>(F formula, LabelCondition requires, boolean exact) {
    }

    /**
     * Taint goes from what metavariable {@code from} matched to what {@code to} matched.
     *
     * @param label -1 to pass on the labels as they are, else the bit the passed taint carries
     */
    public record Propagator<F>(F formula, String from, String to, boolean bySideEffect, int label,
                             LabelCondition requires) {
    }

    /** Semgrep's {@code taint_assume_safe_*} and {@code taint_only_propagate_through_assignments} rule options. */
    public record Options(boolean safeIndexes, boolean safeFunctions, boolean onlyThroughAssignments,
                          boolean safeBooleans, boolean safeNumbers) {
        public static final Options DEFAULTS = new Options(false, false, false, false, false);
    }

    /** A Boolean formula over labels ({@code requires: A and not B}), in Python syntax as Semgrep reads it. */
    public sealed interface LabelCondition {
        boolean test(long labels);

        record Label(int bit) implements LabelCondition {
            @Override
            public boolean test(long labels) {
                return (labels & (1L << bit)) != 0;
            }
        }

        record Constant(boolean value) implements LabelCondition {
            @Override
            public boolean test(long labels) {
                return value;
            }
        }

        record Not(LabelCondition operand) implements LabelCondition {
            @Override
            public boolean test(long labels) {
                return !operand.test(labels);
            }
        }

        record And(LabelCondition left, LabelCondition right) implements LabelCondition {
            @Override
            public boolean test(long labels) {
                return left.test(labels) && right.test(labels);
            }
        }

        record Or(LabelCondition left, LabelCondition right) implements LabelCondition {
            @Override
            public boolean test(long labels) {
                return left.test(labels) || right.test(labels);
            }
        }
    }
}

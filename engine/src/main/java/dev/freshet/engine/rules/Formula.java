package dev.freshet.engine.rules;

import dev.freshet.engine.generic.GenericPattern;
import dev.freshet.engine.parse.Language;
import dev.freshet.engine.pattern.CompiledPattern;
import dev.freshet.engine.regex.RuleRegex;
import java.util.List;

/** A rule's matching logic, as Semgrep's pattern operators compose it. */
public sealed interface Formula {

    /** {@code pattern}: code that matches structurally. */
    record Code(CompiledPattern pattern) implements Formula {
    }

    /** {@code pattern} of a {@code generic} rule: tokens and indentation, matched over the file's text unparsed. */
    record Generic(GenericPattern pattern) implements Formula {
    }

    /** {@code pattern-regex}: a regular expression over the file's text; named groups bind metavariables. */
    record Regex(RuleRegex regex) implements Formula {
    }

    /** {@code pattern-either}: any of the alternatives. */
    record Either(List<Formula> alternatives) implements Formula {
    }

    /**
     * {@code patterns}: matches of every positive term at the same range (inside-terms contain it),
     * minus the ranges the negative terms exclude, filtered by conditions, then narrowed by focus.
     */
    record All(List<Term> terms, List<Condition> conditions, List<List<String>> focus) implements Formula {
    }

    /**
     * {@code mode: taint}: the matches are the sinks that untrusted data reaches, as the taint
     * analysis finds them (see {@code dev.freshet.engine.taint}).
     */
    record Taint(TaintSpec<Formula> spec) implements Formula {
    }

    /** One entry of a {@code patterns} list. */
    sealed interface Term {
        Formula formula();
    }

    record Positive(Formula formula) implements Term {
    }

    record Inside(Formula formula) implements Term {
    }

    record Not(Formula formula) implements Term {
    }

    record NotInside(Formula formula) implements Term {
    }

    record NotRegex(Regex formula) implements Term {
    }

    /** A filter on what a metavariable captured. */
    sealed interface Condition {
        String metavariable();
    }

    /** {@code metavariable-regex}: the captured text matches the regex from its start. */
    record MetavariableRegex(String metavariable, RuleRegex regex, boolean constantPropagation) implements Condition {
    }

    /** {@code metavariable-pattern}: the captured code (parsed in {@code language} if given) matches. */
    record MetavariablePattern(String metavariable, Formula formula, Language language)
            implements Condition {
    }

    /** {@code metavariable-type}: the captured expression has one of the types, as the file declares it. */
    record MetavariableType(String metavariable, List<String> types) implements Condition {
    }

    /** {@code metavariable-analysis: {analyzer: entropy}}: the captured string has high entropy ({@link Entropy}). */
    record MetavariableEntropy(String metavariable) implements Condition {
    }

    /** {@code metavariable-comparison}: a comparison over captured values holds. */
    record MetavariableComparison(String metavariable, Comparison comparison) implements Condition {
    }
}

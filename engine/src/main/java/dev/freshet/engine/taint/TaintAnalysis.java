package dev.freshet.engine.taint;

import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.Matcher;
import dev.freshet.engine.pattern.RangeIndex;
import dev.freshet.engine.rules.Formula;
import dev.freshet.engine.rules.TaintSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Semgrep's taint mode on one file: finds where the rule's sources, sanitizers, sinks and
 * propagators match (each an ordinary formula), then follows data through each function body
 * ({@link Flow}) and reports the sink matches that tainted data reaches, with the sink's bindings.
 * Analysis is intraprocedural, as in Semgrep's open-source engine.
 */
public final class TaintAnalysis {
    private final TaintSpec<Formula> spec;
    private final Matcher matcher;
    private final Deadline deadline;
    private final Function<Formula, List<Match>> evaluate;

    /** @param evaluate evaluates a formula on the file the matcher works on */
    public TaintAnalysis(TaintSpec<Formula> spec, Matcher matcher, Deadline deadline, Function<Formula, List<Match>> evaluate) {
        this.spec = spec;
        this.matcher = matcher;
        this.deadline = deadline;
        this.evaluate = evaluate;
    }

    /** The sink matches that tainted data reaches, one per sink match. */
    public List<Match> sinksReached() {
        // Sinks first: most files have none, and then nothing else needs matching.
        List<List<Match>> sinkMatches = spec.sinks().stream().map(s -> evaluate.apply(s.formula())).toList();
        if (sinkMatches.stream().allMatch(List::isEmpty)) {
            return List.of();
        }
        List<List<Match>> sourceMatches = spec.sources().stream().map(s -> evaluate.apply(s.formula())).toList();
        if (sourceMatches.stream().allMatch(List::isEmpty)) {
            return List.of();
        }
        Facts facts = new Facts();
        Set<Long> sourceAndSinkRanges = new HashSet<>();
        for (int i = 0; i < sourceMatches.size(); i++) {
            for (Match match : sourceMatches.get(i)) {
                facts.addSource(match.start(), match.end(), spec.sources().get(i), focused(spec.sources().get(i).formula()));
                sourceAndSinkRanges.add(RangeIndex.key(match.start(), match.end()));
            }
        }
        Set<Long> nodeRanges = Facts.nodeRanges(matcher.tree().nodes());
        for (int i = 0; i < sinkMatches.size(); i++) {
            for (Match match : sinkMatches.get(i)) {
                long range = RangeIndex.key(match.start(), match.end());
                facts.addSink(match, spec.sinks().get(i), nodeRanges.contains(range));
                sourceAndSinkRanges.add(range);
            }
        }
        for (TaintSpec.Sanitizer<Formula> sanitizer : spec.sanitizers()) {
            for (Match match : evaluate.apply(sanitizer.formula())) {
                // A not-conflicting sanitizer ($F(...) for "every other call") leaves sources and sinks alone.
                if (!sanitizer.notConflicting() || !sourceAndSinkRanges.contains(RangeIndex.key(match.start(), match.end()))) {
                    facts.addSanitizer(match.start(), match.end(), sanitizer);
                }
            }
        }
        for (TaintSpec.Propagator<Formula> propagator : spec.propagators()) {
            for (Match match : evaluate.apply(propagator.formula())) {
                facts.addPropagation(match, propagator);
            }
        }
        new Flow(facts, spec.options(), deadline, matcher::isNumber).analyze(matcher.tree().root());
        return facts.reached();
    }

    /** Whether the formula focuses on a metavariable anywhere (then its matches may be declarations). */
    private static boolean focused(Formula formula) {
        return switch (formula) {
            case Formula.All all -> !all.focus().isEmpty()
                    || all.terms().stream().anyMatch(t -> t instanceof Formula.Positive && focused(t.formula()));
            case Formula.Either either -> either.alternatives().stream().anyMatch(TaintAnalysis::focused);
            default -> false;
        };
    }
}

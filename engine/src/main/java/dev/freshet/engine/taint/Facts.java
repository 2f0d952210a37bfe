package dev.freshet.engine.taint;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.pattern.Captured;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.RangeIndex;
import dev.freshet.engine.rules.Formula;
import dev.freshet.engine.rules.TaintSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a taint rule's sources, sanitizers, sinks and propagators matched in one file, asked by
 * the data flow as it reaches each node, and the sinks found tainted so far.
 */
final class Facts {
    record SinkAt(Match match, TaintSpec.Sink<Formula> sink) {
    }

    record PropagationAt(TaintSpec.Propagator<Formula> propagator, long from, long to, String toPath, long match) {
    }

    /** A source match; {@code focused} when it came from focus-metavariable, which alone can pick a parameter. */
    record SourceAt(TaintSpec.Source<Formula> source, int start, int end, boolean focused) {
    }

    private final RangeIndex<SourceAt> coveringSources = new RangeIndex<>();
    /** Sources that act only on their exact range: exact ones, ones with requires, ones with side effects. */
    private final RangeIndex<TaintSpec.Source<Formula>> exactSources = new RangeIndex<>();
    private final RangeIndex<TaintSpec.Sanitizer<Formula>> coveringSanitizers = new RangeIndex<>();
    private final RangeIndex<TaintSpec.Sanitizer<Formula>> exactSanitizers = new RangeIndex<>();
    private final RangeIndex<SinkAt> exactSinks = new RangeIndex<>();
    private final RangeIndex<SinkAt> coveringSinks = new RangeIndex<>();
    private final Map<Long, List<PropagationAt>> propagationsByEnd = new HashMap<>();
    private final Map<Long, List<PropagationAt>> propagationsByTarget = new HashMap<>();
    /** Labels of each evaluated range, kept only when propagators need them. */
    private final Map<Long, Long> evaluated = new HashMap<>();
    private final Map<String, Match> reached = new LinkedHashMap<>();

    void addSource(int start, int end, TaintSpec.Source<Formula> source, boolean focused) {
        if (!source.exact() && source.requires() == null && source.bySideEffect() != TaintSpec.SideEffect.ONLY) {
            coveringSources.add(start, end, new SourceAt(source, start, end, focused));
        }
        if (source.exact() || source.requires() != null || source.bySideEffect() != TaintSpec.SideEffect.NO) {
            exactSources.add(start, end, source);
        }
    }

    void addSanitizer(int start, int end, TaintSpec.Sanitizer<Formula> sanitizer) {
        if (!sanitizer.exact()) {
            coveringSanitizers.add(start, end, sanitizer);
        }
        if (sanitizer.exact() || sanitizer.bySideEffect()) {
            exactSanitizers.add(start, end, sanitizer);
        }
    }

    /** @param isNode whether some node spans exactly the sink's range; if none does, any tainted part of it counts */
    void addSink(Match match, TaintSpec.Sink<Formula> sink, boolean isNode) {
        (sink.exact() && isNode ? exactSinks : coveringSinks).add(match.start(), match.end(), new SinkAt(match, sink));
    }

    void addPropagation(Match match, TaintSpec.Propagator<Formula> propagator) {
        Captured from = match.bindings().get(propagator.from());
        Captured to = match.bindings().get(propagator.to());
        if (from == null || to == null) {
            return;
        }
        String toPath = to.node() == null ? null : Syntax.path(to.node());
        PropagationAt at = new PropagationAt(propagator, RangeIndex.key(from.start(), from.end()),
                RangeIndex.key(to.start(), to.end()), toPath, RangeIndex.key(match.start(), match.end()));
        propagationsByEnd.computeIfAbsent(at.match(), k -> new ArrayList<>()).add(at);
        propagationsByTarget.computeIfAbsent(at.to(), k -> new ArrayList<>()).add(at);
    }

    boolean hasPropagators() {
        return !propagationsByEnd.isEmpty();
    }

    /** Whether a sanitizer covers this node (or, for exact ones, matches it exactly). */
    boolean sanitizes(SyntaxNode node) {
        return !exactSanitizers.exactly(node.start(), node.end()).isEmpty()
                || coveringSanitizers.anyContaining(node.start(), node.end());
    }

    /** A by-side-effect sanitizer matching a variable or field exactly cleans it from here on. */
    void sanitizeBySideEffect(SyntaxNode node, Env env) {
        if (exactSanitizers.isEmpty()) {
            return;
        }
        for (TaintSpec.Sanitizer<Formula> sanitizer : exactSanitizers.exactly(node.start(), node.end())) {
            String path = sanitizer.bySideEffect() ? Syntax.path(node) : null;
            if (path != null) {
                env.set(path, 0);
            }
        }
    }

    long sourceLabelsCovering(SyntaxNode node) {
        long[] labels = {0};
        coveringSources.containing(node.start(), node.end(), at -> labels[0] |= 1L << at.source().label());
        return labels[0];
    }

    /**
     * The labels sources give a parameter. As in Semgrep, {@code pattern: $X} stands for uses of
     * a variable, not its declaration: only a focused match (or one around it) taints a parameter.
     */
    long sourceLabelsOfParameter(SyntaxNode name) {
        long[] labels = {0};
        coveringSources.containing(name.start(), name.end(), at -> {
            if (at.focused() || at.start() != name.start() || at.end() != name.end()) {
                labels[0] |= 1L << at.source().label();
            }
        });
        return labels[0];
    }

    /** The node's labels with those of the sources matching it; by-side-effect sources also taint the variable. */
    long addSources(SyntaxNode node, long mask, Env env) {
        long labels = mask | sourceLabelsCovering(node);
        if (exactSources.isEmpty()) {
            return labels;
        }
        long incoming = labels;
        for (TaintSpec.Source<Formula> source : exactSources.exactly(node.start(), node.end())) {
            if (source.requires() != null && (incoming == 0 || !source.requires().test(incoming))) {
                continue;
            }
            long label = 1L << source.label();
            if (source.bySideEffect() != TaintSpec.SideEffect.NO) {
                String path = Syntax.path(node);
                if (path != null) {
                    env.add(path, label);
                }
            }
            if (source.bySideEffect() != TaintSpec.SideEffect.ONLY) {
                labels |= label;
            }
        }
        return labels;
    }

    /** Taint a propagator moves into this node from a part evaluated before it. */
    long propagatedTo(SyntaxNode node) {
        if (propagationsByTarget.isEmpty()) {
            return 0;
        }
        long labels = 0;
        for (PropagationAt at : propagationsByTarget.getOrDefault(RangeIndex.key(node.start(), node.end()), List.of())) {
            labels |= passed(at);
        }
        return labels;
    }

    /** At the end of a propagator's match, a by-side-effect propagator taints the variable its target names. */
    void propagateAtEnd(SyntaxNode node, Env env) {
        if (propagationsByEnd.isEmpty()) {
            return;
        }
        for (PropagationAt at : propagationsByEnd.getOrDefault(RangeIndex.key(node.start(), node.end()), List.of())) {
            long labels = passed(at);
            if (labels != 0 && at.propagator().bySideEffect() && at.toPath() != null) {
                env.add(at.toPath(), labels);
            }
        }
    }

    private long passed(PropagationAt at) {
        long from = evaluated.getOrDefault(at.from(), 0L);
        TaintSpec.Propagator<Formula> propagator = at.propagator();
        if (from == 0 || propagator.requires() != null && !propagator.requires().test(from)) {
            return 0;
        }
        return propagator.label() >= 0 ? 1L << propagator.label() : from;
    }

    void remember(SyntaxNode node, long mask) {
        if (hasPropagators()) {
            evaluated.merge(RangeIndex.key(node.start(), node.end()), mask, (a, b) -> a | b);
        }
    }

    /** Records the sinks this node reaches with the labels it carries. */
    void reachSinks(SyntaxNode node, long mask) {
        if (mask == 0) {
            return;
        }
        for (SinkAt sink : exactSinks.exactly(node.start(), node.end())) {
            reach(sink, mask);
        }
        coveringSinks.containing(node.start(), node.end(), sink -> reach(sink, mask));
    }

    private void reach(SinkAt at, long mask) {
        TaintSpec.LabelCondition requires = at.sink().requires();
        if (requires == null || requires.test(mask)) {
            reached.putIfAbsent(at.match().key(), at.match());
        }
    }

    List<Match> reached() {
        return new ArrayList<>(reached.values());
    }

    static Set<Long> nodeRanges(List<SyntaxNode> nodes) {
        Set<Long> ranges = new HashSet<>();
        for (SyntaxNode node : nodes) {
            ranges.add(RangeIndex.key(node.start(), node.end()));
        }
        return ranges;
    }
}

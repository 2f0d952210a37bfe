package dev.freshet.engine.rules;

import dev.freshet.engine.generic.GenericDocument;
import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import dev.freshet.engine.pattern.Bindings;
import dev.freshet.engine.pattern.Captured;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import dev.freshet.engine.pattern.Matcher;
import dev.freshet.engine.pattern.RangeIndex;
import dev.freshet.engine.pattern.Strings;
import dev.freshet.engine.regex.RegexMatcher;
import dev.freshet.engine.regex.RuleRegex;
import dev.freshet.engine.taint.TaintAnalysis;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Evaluates a rule's formula on one parsed file, following Semgrep's semantics: a match is a range
 * of the file plus metavariable bindings; {@code patterns} intersects ranges (unifying bindings),
 * subtracts negated ranges, filters on metavariable conditions and finally narrows to focused
 * metavariables.
 */
public final class FormulaEvaluator {
    private final SourceParser parser;
    private final Deadline deadline;
    /** The files generic patterns read, tokenized once however many patterns read them (few: the file and captures). */
    private final Map<SyntaxTree, GenericDocument> genericDocuments = new IdentityHashMap<>();

    public FormulaEvaluator(SourceParser parser, Deadline deadline) {
        this.parser = parser;
        this.deadline = deadline;
    }

    /** All matches of the formula in the file the matcher works on. */
    public List<Match> evaluate(Formula formula, Matcher matcher) {
        return evaluate(formula, matcher, null, Bindings.EMPTY);
    }

    private List<Match> evaluate(Formula formula, Matcher matcher, SyntaxNode scope, Bindings initial) {
        deadline.check();
        return switch (formula) {
            case Formula.Code code -> scope == null && initial == Bindings.EMPTY
                    ? matcher.findAll(code.pattern())
                    : matcher.find(code.pattern(), scope, initial);
            case Formula.Generic generic -> within(scope, initial,
                    genericDocument(matcher.tree()).matches(generic.pattern(), deadline));
            case Formula.Regex regex -> regexMatches(regex.regex(), matcher.tree().source(), scope, initial);
            case Formula.Either either -> {
                Map<String, Match> union = new LinkedHashMap<>();
                for (Formula alternative : either.alternatives()) {
                    for (Match match : evaluate(alternative, matcher, scope, initial)) {
                        union.putIfAbsent(match.key(), match);
                    }
                }
                yield new ArrayList<>(union.values());
            }
            case Formula.All all -> all(all, matcher, scope, initial);
            case Formula.Taint taint -> scope == null
                    ? new TaintAnalysis(taint.spec(), matcher, deadline, f -> evaluate(f, matcher)).sinksReached()
                    : List.of(); // a taint rule is never nested in another formula
        };
    }

    private List<Match> all(Formula.All all, Matcher matcher, SyntaxNode scope, Bindings initial) {
        List<Formula.Term> positives = all.terms().stream()
                .filter(t -> t instanceof Formula.Positive || t instanceof Formula.Inside).toList();
        // Start from a plain positive if there is one: its ranges are the ones reported. With none
        // (only negations, as metavariable-pattern allows), start from the whole scope.
        Formula.Term first = positives.stream().filter(t -> !constrainsOnly(t)).findFirst()
                .orElse(positives.isEmpty() ? null : positives.get(0));
        List<Match> current = first != null ? evaluate(first.formula(), matcher, scope, initial)
                : List.of(scope != null ? new Match(scope.start(), scope.end(), initial)
                        : new Match(0, matcher.tree().source().length(), initial));
        for (Formula.Term term : positives) {
            if (term == first || current.isEmpty()) {
                continue;
            }
            List<Match> others = evaluate(term.formula(), matcher, scope, initial);
            boolean inside = constrainsOnly(term);
            // With no plain positive, inside-terms constrain one another: the narrower range is kept.
            boolean onlyInsides = inside && constrainsOnly(first);
            RangeIndex<Integer> othersByRange = indexed(others);
            List<Match> kept = new ArrayList<>();
            for (Match match : current) {
                deadline.check();
                // The others that pair with this match, in their own order (as a plain loop would take them).
                TreeSet<Integer> paired = new TreeSet<>();
                if (inside) {
                    othersByRange.containing(match.start(), match.end(), paired::add);
                    if (onlyInsides) {
                        othersByRange.within(match.start(), match.end(), paired::add);
                    }
                } else {
                    // Two plain patterns intersect as in Semgrep: either range inside the other, the narrower reported
                    // ("$CALL(..., x=$V)" with "$V" reports the value).
                    othersByRange.containing(match.start(), match.end(), paired::add);
                    othersByRange.within(match.start(), match.end(), paired::add);
                }
                for (int i : paired) {
                    Match other = others.get(i);
                    Match narrower = match.inside(other) ? match : other;
                    Bindings merged = match.bindings().merge(other.bindings());
                    if (merged != null) {
                        kept.add(new Match(narrower.start(), narrower.end(), merged));
                    }
                }
            }
            current = distinct(kept);
        }
        for (Formula.Term term : all.terms()) {
            if (current.isEmpty()) {
                break;
            }
            switch (term) {
                case Formula.Not not when insideOnly(not.formula()) -> {
                    // Semgrep keeps the ranges of a formula of inside-terms marked as inside-ranges, and
                    // difference_ranges removes whatever lies inside one, as pattern-not-inside does.
                    current = withoutInside(current, evaluate(not.formula(), matcher, scope, initial));
                }
                case Formula.Not not -> {
                    RangeIndex<Match> excluded = byRange(evaluate(not.formula(), matcher, scope, initial));
                    current = current.stream().filter(m -> excluded.exactly(m.start(), m.end()).stream()
                            .noneMatch(e -> m.bindings().compatible(e.bindings()))).toList();
                }
                case Formula.NotInside notInside -> current = withoutInside(current, evaluate(notInside.formula(), matcher, scope, initial));
                case Formula.NotRegex notRegex -> {
                    RangeIndex<Match> excluded = byRange(evaluate(notRegex.formula(), matcher, scope, initial));
                    current = current.stream().filter(m -> !excluded.anyContaining(m.start(), m.end())
                            && !excluded.anyWithin(m.start(), m.end(), e -> true)).toList();
                }
                default -> {
                }
            }
        }
        for (Formula.Condition condition : all.conditions()) {
            List<Match> kept = new ArrayList<>();
            for (Match match : current) {
                kept.addAll(applyCondition(condition, match, matcher));
            }
            current = kept;
        }
        for (List<String> focus : all.focus()) {
            current = focus(current, focus);
        }
        return distinct(current);
    }

    /** The matches that lie inside none of the excluded ranges (with bindings that agree). */
    private static List<Match> withoutInside(List<Match> matches, List<Match> excludedMatches) {
        RangeIndex<Match> excluded = byRange(excludedMatches);
        return matches.stream().filter(m -> !excluded.anyContaining(m.start(), m.end(),
                e -> m.bindings().compatible(e.bindings()))).toList();
    }

    /**
     * Whether a term only says where matches may lie: a {@code pattern-inside}, or a nested
     * {@code patterns} (or an either of them) made of inside-terms alone, whose ranges Semgrep
     * keeps marked as inside-ranges.
     */
    private static boolean constrainsOnly(Formula.Term term) {
        return term instanceof Formula.Inside || term instanceof Formula.Positive positive && insideOnly(positive.formula());
    }

    private static boolean insideOnly(Formula formula) {
        return switch (formula) {
            case Formula.All all -> {
                List<Formula.Term> positives = all.terms().stream()
                        .filter(t -> t instanceof Formula.Positive || t instanceof Formula.Inside).toList();
                yield !positives.isEmpty() && positives.stream().allMatch(FormulaEvaluator::constrainsOnly);
            }
            case Formula.Either either -> either.alternatives().stream().allMatch(FormulaEvaluator::insideOnly);
            default -> false;
        };
    }

    /** The matches that satisfy the condition, with any bindings the condition adds. */
    private List<Match> applyCondition(Formula.Condition condition, Match match, Matcher matcher) {
        Bindings bindings = match.bindings();
        return switch (condition) {
            case Formula.MetavariableRegex regex -> {
                Captured captured = bindings.get(regex.metavariable());
                String known = regex.constantPropagation() && captured != null && captured.node() != null
                        ? matcher.constantValue(captured.node()) : null;
                yield captured != null && regex.regex().lookingAt(known != null ? known : captured.text()) ? List.of(match) : List.of();
            }
            case Formula.MetavariableEntropy entropy -> {
                // The string's value without its quotes, as Semgrep's analyze_string_metavar reads a literal.
                Captured captured = bindings.get(entropy.metavariable());
                String value = captured == null ? null
                        : captured.node() != null && isString(captured.node()) ? Strings.content(captured.node()) : captured.text();
                yield value != null && Entropy.isHigh(value) ? List.of(match) : List.of();
            }
            case Formula.MetavariableComparison comparison -> {
                boolean holds = comparison.comparison().test(name -> Optional.ofNullable(bindings.get(name)).map(Captured::text));
                yield holds ? List.of(match) : List.of();
            }
            case Formula.MetavariablePattern pattern -> metavariablePattern(pattern, match, matcher);
            case Formula.MetavariableType type -> {
                Captured captured = bindings.get(type.metavariable());
                List<Match> typed = new ArrayList<>();
                if (captured != null && captured.node() != null) {
                    for (String wanted : type.types()) {
                        Bindings extended = matcher.typed(captured.node(), wanted, bindings);
                        if (extended != null) {
                            typed.add(new Match(match.start(), match.end(), extended));
                            break;
                        }
                    }
                }
                yield typed;
            }
        };
    }

    private List<Match> metavariablePattern(Formula.MetavariablePattern condition, Match match, Matcher matcher) {
        Captured captured = match.bindings().get(condition.metavariable());
        if (captured == null) {
            return List.of();
        }
        // Text a metavariable captured without code nodes (a regex group, a generic match) is read again in
        // the rule's own language, as Semgrep does.
        boolean textCapture = captured.nodes().isEmpty() && captured.end() > captured.start();
        Language language = condition.language() == null && textCapture ? matcher.tree().language() : condition.language();
        if (language != null && (language != matcher.tree().language() || captured.node() == null
                || isString(captured.node()))) {
            // Another language (or the inside of a string): parse the captured text on its own.
            String text = captured.node() != null && isString(captured.node())
                    ? Strings.content(captured.node()) : captured.text();
            SyntaxTree tree = parser.parse(language, text);
            return evaluate(condition.formula(), new Matcher(tree, deadline)).isEmpty() ? List.of() : List.of(match);
        }
        List<Match> out = new ArrayList<>();
        List<SyntaxNode> nodes = captured.nodes();
        if (nodes.isEmpty()) {
            return out;
        }
        for (SyntaxNode node : nodes) {
            for (Match inner : evaluate(condition.formula(), matcher, node, match.bindings())) {
                Bindings merged = match.bindings().merge(inner.bindings());
                if (merged != null) {
                    out.add(new Match(match.start(), match.end(), merged));
                }
            }
        }
        return distinct(out);
    }

    private static boolean isString(SyntaxNode node) {
        return Strings.isString(node.kind());
    }

    /**
     * Each match narrowed to what the metavariables captured, as Semgrep's {@code apply_focus_on_ranges}
     * intersects the two ranges: the captured range when it lies inside the match, the match itself
     * when it lies inside the captured range (a match found within a focused block stays), else none.
     */
    private static List<Match> focus(List<Match> matches, List<String> metavariables) {
        List<Match> out = new ArrayList<>();
        for (Match match : matches) {
            for (String name : metavariables) {
                Captured captured = match.bindings().get(name);
                if (captured == null) {
                    continue;
                }
                Match focused = new Match(captured.start(), captured.end(), match.bindings());
                if (focused.inside(match)) {
                    out.add(focused);
                } else if (match.inside(focused)) {
                    out.add(match);
                }
            }
        }
        return out;
    }

    private GenericDocument genericDocument(SyntaxTree tree) {
        if (genericDocuments.size() >= 8 && !genericDocuments.containsKey(tree)) {
            genericDocuments.clear();
        }
        return genericDocuments.computeIfAbsent(tree, t -> GenericDocument.of(t.source()));
    }

    /** Whole-file matches limited to the scope and unified with the bindings already made there. */
    private static List<Match> within(SyntaxNode scope, Bindings initial, List<Match> matches) {
        if (scope == null && initial == Bindings.EMPTY) {
            return matches;
        }
        List<Match> out = new ArrayList<>();
        for (Match match : matches) {
            Bindings merged = initial.merge(match.bindings());
            if (merged != null && (scope == null || scope.start() <= match.start() && match.end() <= scope.end())) {
                out.add(new Match(match.start(), match.end(), merged));
            }
        }
        return out;
    }

    private static List<Match> regexMatches(RuleRegex regex, String source, SyntaxNode scope, Bindings initial) {
        int from = scope == null ? 0 : scope.start();
        int to = scope == null ? source.length() : scope.end();
        RegexMatcher m = regex.matcher(source.substring(from, to));
        Map<String, Integer> groups = regex.namedGroups();
        List<Match> out = new ArrayList<>();
        while (m.find()) {
            if (m.end() == m.start()) {
                continue;
            }
            Bindings bindings = initial;
            for (Map.Entry<String, Integer> group : groups.entrySet()) {
                int gs = m.start(group.getValue());
                if (gs >= 0) {
                    int ge = m.end(group.getValue());
                    bindings = bindings.with("$" + group.getKey(), Captured.ofText(from + gs, from + ge, m.group(group.getValue())));
                }
            }
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.start(g) >= 0) {
                    bindings = bindings.with("$" + g, Captured.ofText(from + m.start(g), from + m.end(g), m.group(g)));
                }
            }
            out.add(new Match(from + m.start(), from + m.end(), bindings));
        }
        return out;
    }

    /** The matches' positions in the list, by range. */
    private static RangeIndex<Integer> indexed(List<Match> matches) {
        RangeIndex<Integer> index = new RangeIndex<>();
        for (int i = 0; i < matches.size(); i++) {
            index.add(matches.get(i).start(), matches.get(i).end(), i);
        }
        return index;
    }

    private static RangeIndex<Match> byRange(List<Match> matches) {
        RangeIndex<Match> index = new RangeIndex<>();
        matches.forEach(m -> index.add(m.start(), m.end(), m));
        return index;
    }

    private static List<Match> distinct(List<Match> matches) {
        Map<String, Match> unique = new LinkedHashMap<>();
        for (Match match : matches) {
            unique.putIfAbsent(match.key(), match);
        }
        return new ArrayList<>(unique.values());
    }

}

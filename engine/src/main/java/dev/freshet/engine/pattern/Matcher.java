package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the places in one parsed file where a pattern matches. Matching is structural: a pattern
 * node matches a file node of the same kind whose children match in order, with ellipses
 * absorbing runs of siblings and metavariables capturing (and then requiring) equal code.
 * Every way a pattern can match is explored through continuations, so backtracking needs no copies.
 */
public final class Matcher {
    /** More ways to match one pattern at one node than this are not told apart. */
    private static final int MAX_MATCHES_PER_NODE = 64;
    /** Kinds of a call's or construction's argument list, which the file may leave out when empty. */
    private static final Set<String> ARGUMENT_LISTS = Set.of("argument_list", "arguments");
    private final SyntaxTree tree;
    private final LanguageSyntax syntax;
    private final StatementSequences sequences;
    private final Deadline deadline;
    private Imports imports;
    /** Matches by pattern text; a Matcher serves one file in one language, so the text identifies the pattern. */
    private final Map<String, List<Match>> wholeFileMatches = new HashMap<>();
    private final Map<PatternNode, List<PatternNode>> qualifiedNames = new IdentityHashMap<>();
    private static final List<PatternNode> NOT_A_NAME = List.of();
    /** Whether the language has import forms that {@link ModulePaths} matches by module prefix. */
    private final boolean importForms;
    private Constants constants;
    private Types types;
    private int steps;
    /** Whether the pattern being matched looks through variables defined once (symbolic propagation). */
    private boolean symbolic;
    /** How many definitions the current match looks through, against definitions that refer to each other. */
    private int definitionsFollowed;
    private static final int MAX_DEFINITIONS_FOLLOWED = 8;

    public Matcher(SyntaxTree tree, Deadline deadline) {
        this.tree = tree;
        this.deadline = deadline;
        this.syntax = LanguageSyntax.of(tree.language());
        this.importForms = ModulePaths.apply(tree.language());
        this.sequences = new StatementSequences(this, syntax);
    }

    public SyntaxTree tree() {
        return tree;
    }

    /** All matches of the pattern in the whole file. */
    public List<Match> find(PatternNode pattern) {
        return find(pattern, null, Bindings.EMPTY);
    }

    /**
     * All matches of a compiled pattern in the whole file, remembered: rules often repeat the same
     * pattern (a {@code pattern-inside} shared by several alternatives, or by several rules).
     */
    public List<Match> findAll(CompiledPattern pattern) {
        String key = (pattern.symbolicPropagation() ? "symbolic:" : "") + pattern.source();
        List<Match> known = wholeFileMatches.get(key);
        if (known == null) {
            known = List.copyOf(find(pattern, null, Bindings.EMPTY));
            wholeFileMatches.put(key, known);
        }
        return known;
    }

    /** All matches of a compiled pattern at or below {@code scope} (the whole file when null), with its options. */
    public List<Match> find(CompiledPattern pattern, SyntaxNode scope, Bindings initial) {
        boolean outer = symbolic;
        symbolic = pattern.symbolicPropagation();
        try {
            return find(pattern.root(), scope, initial);
        } finally {
            symbolic = outer;
        }
    }

    /**
     * All matches of the pattern at or below {@code scope} (the whole file when null), starting from
     * the given bindings.
     */
    public List<Match> find(PatternNode pattern, SyntaxNode scope, Bindings initial) {
        boolean opensWithEllipsis = StatementSequences.opensWithEllipsis(pattern);
        List<SyntaxNode> candidates = opensWithEllipsis ? List.of(scope == null ? tree.root() : scope)
                : scope == null ? candidates(pattern) : tree.descendants(scope);
        Set<SyntaxNode> sequenceStarts = pattern instanceof PatternNode.Sequence sequence
                ? sequences.starts(sequence, candidates, initial) : null;
        Map<String, Match> found = new LinkedHashMap<>();
        MatchesAtNode atNode = new MatchesAtNode(found);
        if (scope != null && pattern instanceof PatternNode.Sequence sequence && !syntax.isBlock(scope.kind()) && !isExpressionLike(scope)) {
            // A statement a metavariable captured is a statement list of its own (metavariable-pattern).
            sequences.match(sequence.statements(), 0, List.of(scope), 0, initial, -1, -1, false, (b, start, end) -> {
                if (start >= 0) {
                    Match match = new Match(start, end, b);
                    found.putIfAbsent(match.key(), match);
                }
            });
        }
        for (SyntaxNode node : candidates) {
            if (!canStartAt(pattern, node)) {
                continue;
            }
            int before = found.size();
            if (pattern instanceof PatternNode.Sequence sequence) {
                List<SyntaxNode> statements = node.children();
                int lastStart = opensWithEllipsis ? Math.min(1, statements.size()) : statements.size();
                for (int j = 0; j < lastStart; j++) {
                    // Sequences run over statements: a declarator or an argument starts none.
                    if (sequenceStarts != null && !sequenceStarts.contains(statements.get(j))
                            || !opensWithEllipsis && !isStatement(statements.get(j))) {
                        continue;
                    }
                    sequences.match(sequence.statements(), 0, statements, j, initial, -1, -1, false, (b, start, end) -> {
                        if (start >= 0 && found.size() - before < MAX_MATCHES_PER_NODE) {
                            Match match = new Match(start, end, b);
                            found.putIfAbsent(match.key(), match);
                        }
                    });
                }
            } else {
                atNode.reset(syntax.matchStart(node), node.end());
                match(pattern, node, initial, atNode);
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Keeps the matches of a pattern found at one node after another, up to {@link #MAX_MATCHES_PER_NODE}
     * each. One serves a whole search, as Tracked does: a lambda per node tried would be made through a
     * call into the VM in C1's code, a sixth of the time of a search over a file's calls.
     */
    private static final class MatchesAtNode implements Found {
        private final Map<String, Match> found;
        private int start;
        private int end;
        private int before;

        MatchesAtNode(Map<String, Match> found) {
            this.found = found;
        }

        void reset(int start, int end) {
            this.start = start;
            this.end = end;
            this.before = found.size();
        }

        @Override
        public void found(Bindings bindings) {
            if (found.size() - before < MAX_MATCHES_PER_NODE) {
                Match match = new Match(start, end, bindings);
                found.putIfAbsent(match.key(), match);
            }
        }
    }

    private List<SyntaxNode> candidates(PatternNode pattern) {
        if (pattern instanceof PatternNode.Node node && !(isQualifiedName(node) && !imports().isEmpty())) {
            return syntax.candidates(node, this::nodesOfKind);
        }
        return tree.nodes();
    }

    private List<SyntaxNode> nodesOfKind(String kind) {
        return tree.nodesOfKind(kind);
    }

    private boolean constantLeaf(SyntaxNode identifier, String text) {
        SyntaxNode value = constants().valueOf(identifier);
        return value != null && value.isLeaf() && value.text().equals(text);
    }

    /**
     * The content of a string built from constants (literals, concatenations, interpolations,
     * variables holding a literal), or null when any part is not one (or nesting runs deep).
     */
    private String foldedString(SyntaxNode node, int depth) {
        if (depth > 64) {
            return null;
        }
        if (Constants.isVariable(node)) {
            SyntaxNode value = constants().valueOf(node);
            return value != null && Strings.isString(value.kind()) ? foldedString(value, depth + 1) : null;
        }
        if (Strings.isString(node.kind())) {
            if (node.children().stream().noneMatch(c -> Strings.isInterpolation(c.kind()))) {
                return Strings.content(node);
            }
            StringBuilder text = new StringBuilder();
            for (SyntaxNode part : node.children()) {
                if (Strings.isInterpolation(part.kind())) {
                    List<SyntaxNode> inner = part.children().stream().filter(SyntaxNode::named).toList();
                    String value = inner.size() == 1 ? foldedString(inner.get(0), depth + 1) : null;
                    if (value == null) {
                        return null;
                    }
                    text.append(value);
                } else if (part.named() && !Strings.isQuote(part.kind())) {
                    text.append(part.text());
                }
            }
            return text.toString();
        }
        if (Strings.isImplicitConcatenation(node)) {
            StringBuilder text = new StringBuilder();
            for (SyntaxNode part : node.children()) {
                String value = foldedString(part, depth + 1);
                if (value == null) {
                    return null;
                }
                text.append(value);
            }
            return text.toString();
        }
        if (!Strings.isConcatenation(node)) {
            return null;
        }
        String left = foldedString(node.children().get(0), depth + 1);
        String right = left == null ? null : foldedString(node.children().get(2), depth + 1);
        return right == null ? null : left + right;
    }

    /** A lone metavariable or ellipsis matches expressions, not every statement and token around them. */
    boolean canStartAt(PatternNode pattern, SyntaxNode node) {
        return switch (pattern) {
            case PatternNode.Metavariable m -> node.named() && isExpressionLike(node);
            case PatternNode.TypedMetavariable m -> node.named() && isExpressionLike(node);
            case PatternNode.Ellipsis e -> node.named() && isExpressionLike(node);
            case PatternNode.Sequence s -> !node.children().isEmpty();
            case PatternNode.Node n -> sameKind(n.kind(), node.kind()) || isQualifiedName(n) || syntax.matchesOtherKind(n, node);
            default -> true;
        };
    }

    /**
     * Whether a node is a statement: not expression-like, or standing directly in a block or at the
     * top of the file (languages such as Ruby write statements as bare expressions).
     */
    boolean isStatement(SyntaxNode node) {
        SyntaxNode parent = node.parent();
        return !isExpressionLike(node) || parent != null && (parent.parent() == null || syntax.isBlock(parent.kind()));
    }

    boolean isExpressionLike(SyntaxNode node) {
        String kind = node.kind();
        // The pieces of a string literal (fragments, escapes) are one token to Semgrep; interpolations are code.
        if (node.parent() != null && Strings.isString(node.parent().kind()) && !Strings.isInterpolation(kind)) {
            return false;
        }
        return !(kind.endsWith("statement") || kind.endsWith("declaration") || kind.endsWith("definition")
                || kind.equals("block") || kind.equals("comment") || node.parent() == null);
    }

    interface Found {
        void found(Bindings bindings);
    }

    /**
     * Passes matches on and remembers whether there was one. A class rather than a lambda over a
     * boolean[]: this runs for every node a pattern node is tried on, and C1-compiled code, which
     * one-off scans run on, makes a capturing lambda through a call into the VM.
     */
    private static final class Tracked implements Found {
        private final Found next;
        boolean matched;

        Tracked(Found next) {
            this.next = next;
        }

        @Override
        public void found(Bindings bindings) {
            matched = true;
            next.found(bindings);
        }
    }

    void match(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (++steps % 4096 == 0) {
            deadline.check();
        }
        switch (pattern) {
            case PatternNode.Metavariable m -> {
                if (node.named() && !syntax.isKeywordArgument(node)) {
                    bind(m.name(), Captured.of(syntax.parameterName(node)), bindings, next);
                }
            }
            case PatternNode.TypedMetavariable typed -> {
                if (node.named()) {
                    Bindings withType = typed(node, typed.type(), bindings);
                    if (withType != null) {
                        bind(typed.name(), Captured.of(node), withType, next);
                    }
                }
            }
            case PatternNode.Ellipsis e -> next.found(bindings);
            case PatternNode.MetavariableEllipsis m -> bind(m.name(), Captured.of(node), bindings, next);
            case PatternNode.Deep deep -> {
                for (SyntaxNode inner : tree.descendants(node)) {
                    match(deep.inner(), inner, bindings, next);
                }
            }
            case PatternNode.StringLiteral literal -> {
                boolean interpolated = Strings.isString(node.kind())
                        && node.children().stream().anyMatch(c -> Strings.isInterpolation(c.kind()));
                if (Strings.isString(node.kind()) && !interpolated) {
                    if (literal.metavariable() != null) {
                        int[] span = Strings.contentSpan(node);
                        bind(literal.metavariable(), Captured.ofText(node.start() + span[0], node.start() + span[1],
                                node.text().substring(span[0], span[1])), bindings, next);
                    } else if (literal.matches(Strings.content(node))) {
                        next.found(bindings);
                    }
                } else if (Constants.isVariable(node)) {
                    SyntaxNode value = constants().valueOf(node);
                    if (value != null && Strings.isString(value.kind())) {
                        match(pattern, value, bindings, next);
                    }
                } else if (Strings.isConcatenation(node) || Strings.isImplicitConcatenation(node) || interpolated) {
                    // "a" + "b" is the constant "ab", as Semgrep folds it; so is `${a}b` after a = "a".
                    // A string built from anything else at run time is not a literal.
                    String folded = foldedString(node, 0);
                    if (folded == null) {
                        return;
                    }
                    if (literal.metavariable() != null) {
                        bind(literal.metavariable(), Captured.ofText(node.start(), node.end(), folded), bindings, next);
                    } else if (literal.matches(folded)) {
                        next.found(bindings);
                    }
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Token token -> {
                if (syntax.matchToken(token, node, bindings, next)) {
                    return;
                }
                if (node.isLeaf() && spells(token, node)) {
                    next.found(bindings);
                } else if (token.literal() && Constants.isVariable(node) && constantLeaf(node, token.text())) {
                    // A literal in the pattern (False, 0) also matches a name holding that constant, as in Semgrep:
                    // only a literal, so a file's constants are worked out only when a pattern has one to compare.
                    next.found(bindings);
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Node pnode when isDeepMember(pnode) -> matchDeepMember(pnode.children().get(0), node, bindings, next, 0);
            case PatternNode.Node pnode -> {
                Tracked tracked = new Tracked(next);
                if (sameKind(pnode.kind(), node.kind())) {
                    if (syntax.isUnordered(pnode.kind()) && !(pnode.children().isEmpty() && !node.children().isEmpty())) {
                        matchUnordered(pnode.children(), 0, node.children(), new boolean[node.children().size()], bindings, tracked);
                    } else if (importForms && ModulePaths.match(this, tree.language(), pnode, node, bindings, tracked)) {
                        // an import pattern's module also matches the modules it is a prefix of (Semgrep's m_directive)
                    } else if (syntax.matchSameKind(this, pnode, node, bindings, tracked)) {
                        // the language's own rule for this kind
                    } else if (syntax.isBlock(pnode.kind())) {
                        sequences.match(pnode.children(), 0, node.children(), 0, bindings, -1, -1, true,
                                (b, start, end) -> tracked.found(b));
                    } else if (!aTokenRulesOut(pnode.children(), node.children(), bindings)) {
                        matchChildren(pnode.children(), 0, node.children(), 0, bindings, tracked);
                    }
                } else if (!syntax.matchOtherKindOnly(this, pnode, node, bindings, tracked)) {
                    matchInsideParentheses(pattern, node, bindings, tracked);
                    matchEquivalent(pnode, node, bindings, tracked);
                }
                if (!tracked.matched) {
                    matchQualifiedName(pnode, node, bindings, next);
                }
                if (!tracked.matched && symbolic) {
                    matchDefinition(pnode, node, bindings, next);
                }
            }
            case PatternNode.Sequence sequence ->
                    matchChildren(sequence.statements(), 0, List.of(node), 0, bindings, next);
        }
    }

    /** {@code $X. ...}: the object of a member access followed by any chain of accesses and calls. */
    private static boolean isDeepMember(PatternNode.Node pattern) {
        List<PatternNode> children = pattern.children();
        return children.size() == 3 && children.get(2) instanceof PatternNode.Ellipsis
                && children.get(1) instanceof PatternNode.Token dot && dot.text().equals(".");
    }

    /** The object in front of {@code $X. ...} matches the node itself or the start of any chain of accesses and calls it is. */
    private void matchDeepMember(PatternNode start, SyntaxNode node, Bindings bindings, Found next, int depth) {
        match(start, node, bindings, next);
        SyntaxNode inner = syntax.chainInner(node);
        if (inner != null && depth < 256) {
            matchDeepMember(start, inner, bindings, next, depth + 1);
        }
    }

    /**
     * A dotted name in the pattern ({@code hashlib.md5}) against a name the file imported
     * ({@code md5} after {@code from hashlib import md5}), compared segment by segment.
     */
    private void matchQualifiedName(PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (!(node.isLeaf() || node.children().size() == 3)) {
            return;
        }
        List<PatternNode> wanted = qualifiedName(pattern);
        // Checked before the file's imports are read, as most nodes tried here fail it.
        if (wanted == null || !lastSegmentMayMatch(wanted, node) || imports().isEmpty()) {
            return;
        }
        List<SyntaxNode> written = new ArrayList<>();
        if (!targetSegments(node, written)) {
            return;
        }
        List<String> imported = imports().resolve(written.get(0).text(), written.get(0));
        if (imported == null || imported.size() + written.size() - 1 != wanted.size()) {
            return;
        }
        Bindings current = bindings;
        for (int i = 0; i < wanted.size(); i++) {
            int fromFile = i - (imported.size() - 1);
            String text = fromFile <= 0 ? imported.get(i) : written.get(fromFile).text();
            switch (wanted.get(i)) {
                case PatternNode.Token token -> {
                    if (!token.text().equals(text)) {
                        return;
                    }
                }
                case PatternNode.Metavariable m -> {
                    SyntaxNode first = written.get(0);
                    Captured captured = fromFile > 0 ? Captured.of(written.get(fromFile))
                            : Captured.ofText(first.start(), first.end(), text);
                    Captured bound = current.get(m.name());
                    if (bound != null && !bound.sameCode(captured)) {
                        return;
                    }
                    if (bound == null && !m.name().equals("$_")) {
                        current = current.with(m.name(), captured);
                    }
                }
                default -> {
                    return;
                }
            }
        }
        next.found(current);
    }

    /**
     * Of a written chain ({@code a.b.c}), only the first segment can stand for an imported name: the last
     * is compared as written, so a name there other than the pattern's rules the chain out.
     */
    private static boolean lastSegmentMayMatch(List<PatternNode> wanted, SyntaxNode node) {
        return node.isLeaf() || !(wanted.get(wanted.size() - 1) instanceof PatternNode.Token last)
                || last.text().equals(node.children().get(2).text());
    }

    private boolean isQualifiedName(PatternNode.Node pattern) {
        return qualifiedName(pattern) != null;
    }

    /** The segments of a dotted-name pattern (two or more), or null; remembered per pattern node. */
    private List<PatternNode> qualifiedName(PatternNode.Node pattern) {
        return qualifiedNames.computeIfAbsent(pattern, p -> {
            List<PatternNode> segments = new ArrayList<>();
            return patternSegments(p, segments) && segments.size() >= 2 ? segments : NOT_A_NAME;
        }) == NOT_A_NAME ? null : qualifiedNames.get(pattern);
    }

    private static boolean patternSegments(PatternNode pattern, List<PatternNode> out) {
        switch (pattern) {
            case PatternNode.Token token when isIdentifier(token.text()) -> out.add(token);
            case PatternNode.Metavariable m -> out.add(m);
            case PatternNode.Node node when node.children().size() == 3
                    && node.children().get(1) instanceof PatternNode.Token dot && isPathSeparator(dot.text()) -> {
                if (!patternSegments(node.children().get(0), out)) {
                    return false;
                }
                PatternNode last = node.children().get(2);
                if (!(last instanceof PatternNode.Metavariable || last instanceof PatternNode.Token t && isIdentifier(t.text()))) {
                    return false;
                }
                out.add(last);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static boolean targetSegments(SyntaxNode node, List<SyntaxNode> out) {
        if (node.isLeaf()) {
            if (!node.kind().contains("identifier")) {
                return false;
            }
            out.add(node);
            return true;
        }
        List<SyntaxNode> children = node.children();
        if (children.size() != 3 || !isPathSeparator(children.get(1).text()) || !children.get(2).isLeaf()
                || !children.get(2).kind().contains("identifier")) {
            return false;
        }
        if (!targetSegments(children.get(0), out)) {
            return false;
        }
        out.add(children.get(2));
        return true;
    }

    /** What joins the segments of a qualified name: {@code .}, or {@code ::} in Rust, C++, PHP and Ruby. */
    private static boolean isPathSeparator(String text) {
        return text.equals(".") || text.equals("::");
    }

    private static boolean isIdentifier(String text) {
        return !text.isEmpty() && Character.isJavaIdentifierStart(text.charAt(0))
                && text.chars().allMatch(Character::isJavaIdentifierPart);
    }

    /**
     * The value constant propagation knows for an expression (Semgrep's {@code Eval_generic.eval} on a binding):
     * a string literal's content, another literal's text, or the literal a constant variable was assigned; else null.
     */
    public String constantValue(SyntaxNode node) {
        SyntaxNode literal = node.kind().endsWith("identifier") ? constants().valueOf(node) : node;
        if (literal == null) {
            return null;
        }
        return Strings.isString(literal.kind()) ? Strings.content(literal)
                : Constants.isLiteral(literal) ? literal.text() : null;
    }

    private Constants constants() {
        if (constants == null) {
            constants = new Constants(tree);
        }
        return constants;
    }

    /**
     * The bindings extended by the metavariables of a type pattern when {@code node}'s declared
     * type matches it, or null when it does not (or the type is unknown).
     */
    public Bindings typed(SyntaxNode node, String type, Bindings bindings) {
        Types.Type actual = types().typeOf(node);
        return actual == null ? null : types().matches(type, actual, bindings, node);
    }

    /** Whether the file declares or writes the expression as a number. */
    public boolean isNumber(SyntaxNode node) {
        return types().isNumber(node);
    }

    private Types types() {
        if (types == null) {
            types = new Types(tree, imports(), constants());
        }
        return types;
    }

    private Imports imports() {
        if (imports == null) {
            imports = Imports.of(tree);
        }
        return imports;
    }

    /**
     * Forms Semgrep treats as the same: an expression statement pattern against the expression
     * alone, then the language's own equivalences.
     */
    private void matchEquivalent(PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Found next) {
        List<PatternNode> children = pattern.children();
        if (syntax.isExpressionStatement(pattern.kind()) && children.size() == 1 && children.get(0) instanceof PatternNode.Node inner) {
            match(inner, node, bindings, next);
            return;
        }
        if (syntax.isBlock(pattern.kind()) && children.size() == 1 && !syntax.isBlock(node.kind()) && node.parent() != null
                && !syntax.isBlock(node.parent().kind())) {
            // Semgrep's m_block: a block of one statement also matches that statement written without braces
            // (if (c) { ... } matches if (c) f();).
            match(children.get(0), node, bindings, next);
            return;
        }
        syntax.matchEquivalent(this, pattern, node, bindings, next);
    }

    /**
     * Semgrep's symbolic propagation: a variable defined once stands for the expression it was
     * defined with, so {@code foo.bar().baz()} matches {@code x.baz()} after {@code x = foo.bar()}.
     */
    private void matchDefinition(PatternNode.Node pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (!node.isLeaf() || !node.kind().contains("identifier") || definitionsFollowed >= MAX_DEFINITIONS_FOLLOWED) {
            return;
        }
        SyntaxNode definition = constants().definitionOf(node);
        if (definition == null || definition.start() <= node.start() && node.end() <= definition.end()) {
            return;
        }
        definitionsFollowed++;
        try {
            match(pattern, definition, bindings, next);
        } finally {
            definitionsFollowed--;
        }
    }

    private void matchInsideParentheses(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if ((Strings.isParenthesized(node.kind()) || syntax.isWrapper(node.kind())) && node.children().size() == 1) {
            match(pattern, node.children().get(0), bindings, next);
        }
    }

    static void bind(String name, Captured captured, Bindings bindings, Found next) {
        if (name.equals("$_") || name.equals("$..._")) {
            next.found(bindings);
            return;
        }
        Captured bound = bindings.get(name);
        if (bound == null) {
            next.found(bindings.with(name, captured));
        } else if (bound.sameCode(captured)) {
            next.found(bindings);
        }
    }

    /** Pattern children against file children, in order, the whole list. */
    void matchChildren(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings, Found next) {
        if (i == patterns.size()) {
            if (j == nodes.size()) {
                next.found(bindings);
            } else if (isOptional(nodes.get(j))) {
                matchChildren(patterns, i, nodes, j + 1, bindings, next);
            }
            return;
        }
        PatternNode pattern = patterns.get(i);
        switch (pattern) {
            case PatternNode.Ellipsis e -> {
                for (int k = j; k <= nodes.size(); k++) {
                    matchChildren(patterns, i + 1, nodes, k, bindings, next);
                }
            }
            case PatternNode.MetavariableEllipsis m -> {
                for (int k = j; k <= nodes.size(); k++) {
                    int emptyAt = j < nodes.size() ? nodes.get(j).start() : (j > 0 ? nodes.get(j - 1).end() : 0);
                    bind(m.name(), Captured.of(nodes.subList(j, k), tree.source(), emptyAt), bindings,
                            new RestOfChildren(this, patterns, i + 1, nodes, k, next));
                }
            }
            default -> {
                if (pattern instanceof PatternNode.Node optional && (optional.children().size() == 1
                        && optional.children().get(0) instanceof PatternNode.Ellipsis && !Strings.isInterpolation(optional.kind())
                        || optional.children().isEmpty() && ARGUMENT_LISTS.contains(optional.kind()))
                        && (j >= nodes.size() || !nodes.get(j).kind().equals(optional.kind()))) {
                    // "(...)" where the file has no parentheses at all: class C: vs class $C(...):
                    // and "()": new T() { ... } vs new T { ... }, both a call with no arguments to Semgrep.
                    matchChildren(patterns, i + 1, nodes, j, bindings, next);
                }
                if (j >= nodes.size()) {
                    return;
                }
                SyntaxNode node = nodes.get(j);
                match(pattern, node, bindings, new RestOfChildren(this, patterns, i + 1, nodes, j + 1, next));
                // An optional child (an attribute, a decorator, a modifier) the pattern child is not may be
                // passed over even when of the same kind: Semgrep matches attributes less-is-ok (m_attribute).
                if (isOptional(node)) {
                    matchChildren(patterns, i, nodes, j + 1, bindings, next);
                }
            }
        }
    }

    /**
     * Whether {@link #matchChildren} is sure to fail because a token of the pattern misses the leaf it
     * would face: with as many children on both sides, no ellipsis among the pattern's and no optional
     * child among the file's, each pattern child can only match the file child at its own place, and a
     * token (not a literal, which may match a constant) matches a leaf by its text or the language's rule
     * for tokens only. Looked at before any binding is made: most nodes a call pattern is tried on differ
     * from it in the method's name, after an object that may take resolving names to compare.
     */
    private boolean aTokenRulesOut(List<PatternNode> patterns, List<SyntaxNode> nodes, Bindings bindings) {
        if (patterns.size() != nodes.size()) {
            return false;
        }
        for (int k = 0; k < patterns.size(); k++) {
            SyntaxNode leaf = nodes.get(k);
            if (patterns.get(k) instanceof PatternNode.Token token && !token.literal() && leaf.isLeaf()
                    && !spells(token, leaf) && !syntax.matchToken(token, leaf, bindings, b -> { })) {
                return placesAreFixed(patterns, nodes);
            }
        }
        return false;
    }

    /** A token against a leaf: its text, or the language's other spelling of it (Go's {@code var} for {@code const}). */
    private boolean spells(PatternNode.Token token, SyntaxNode leaf) {
        return leaf.hasText(token.text()) || syntax.sameToken(token.text(), leaf);
    }

    /** With as many children on both sides: no ellipsis among the pattern's, no optional child among the file's. */
    private boolean placesAreFixed(List<PatternNode> patterns, List<SyntaxNode> nodes) {
        for (int k = 0; k < patterns.size(); k++) {
            if (patterns.get(k) instanceof PatternNode.Ellipsis || patterns.get(k) instanceof PatternNode.MetavariableEllipsis
                    || isOptional(nodes.get(k))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What matchChildren does once a child has matched: the pattern's children from {@code i} against the
     * file's from {@code j}. A record rather than a lambda, made for every child tried: C1's code makes a
     * capturing lambda through a call into the VM.
     */
    private record RestOfChildren(Matcher matcher, List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Found next)
            implements Found {
        @Override
        public void found(Bindings bindings) {
            matcher.matchChildren(patterns, i, nodes, j, bindings, next);
        }
    }

    private boolean sameKind(String patternKind, String nodeKind) {
        return patternKind.equals(nodeKind) || nodeKind.equals(syntax.kindAlias(patternKind));
    }

    private boolean isOptional(SyntaxNode node) {
        return syntax.isOptional(node);
    }

    /** Each pattern child matches a different file child, in any order (modifier lists). */
    void matchUnordered(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, boolean[] used, Bindings bindings, Found next) {
        if (i == patterns.size()) {
            next.found(bindings);
            return;
        }
        PatternNode pattern = patterns.get(i);
        if (pattern instanceof PatternNode.Ellipsis) {
            matchUnordered(patterns, i + 1, nodes, used, bindings, next);
            return;
        }
        for (int j = 0; j < nodes.size(); j++) {
            if (used[j]) {
                continue;
            }
            int taken = j;
            used[taken] = true;
            match(pattern, nodes.get(j), bindings, b -> matchUnordered(patterns, i + 1, nodes, used, b, next));
            used[taken] = false;
        }
    }
}

package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.ArrayList;
import java.util.HashMap;
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
    /** Children the file may have where the pattern says nothing: annotations and modifiers are optional. */
    private static final Set<String> OPTIONAL_KINDS = Set.of("modifiers", "decorator", "type_parameters");

    private final SyntaxTree tree;
    private final Deadline deadline;
    private Map<String, List<SyntaxNode>> nodesByKind;
    private int steps;

    public Matcher(SyntaxTree tree, Deadline deadline) {
        this.tree = tree;
        this.deadline = deadline;
    }

    public SyntaxTree tree() {
        return tree;
    }

    /** All matches of the pattern in the whole file. */
    public List<Match> find(PatternNode pattern) {
        return find(pattern, null, Bindings.EMPTY);
    }

    /**
     * All matches of the pattern at or below {@code scope} (the whole file when null), starting from
     * the given bindings.
     */
    public List<Match> find(PatternNode pattern, SyntaxNode scope, Bindings initial) {
        List<SyntaxNode> candidates = scope == null ? candidates(pattern) : descendants(scope);
        Map<String, Match> found = new LinkedHashMap<>();
        for (SyntaxNode node : candidates) {
            if (!canStartAt(pattern, node)) {
                continue;
            }
            int before = found.size();
            if (pattern instanceof PatternNode.Sequence sequence) {
                List<SyntaxNode> statements = node.children();
                for (int j = 0; j < statements.size(); j++) {
                    matchStatements(sequence.statements(), 0, statements, j, initial, -1, -1, (b, start, end) -> {
                        if (found.size() - before < MAX_MATCHES_PER_NODE) {
                            found.putIfAbsent(start + ":" + end + b.asMap(), new Match(start, end, b));
                        }
                    });
                }
            } else {
                match(pattern, node, initial, b -> {
                    if (found.size() - before < MAX_MATCHES_PER_NODE) {
                        found.putIfAbsent(node.start() + ":" + node.end() + b.asMap(), new Match(node.start(), node.end(), b));
                    }
                });
            }
        }
        return new ArrayList<>(found.values());
    }

    private List<SyntaxNode> candidates(PatternNode pattern) {
        if (pattern instanceof PatternNode.Node node) {
            return nodesByKind().getOrDefault(node.kind(), List.of());
        }
        return descendants(tree.root());
    }

    private Map<String, List<SyntaxNode>> nodesByKind() {
        if (nodesByKind == null) {
            nodesByKind = new HashMap<>();
            for (SyntaxNode node : descendants(tree.root())) {
                nodesByKind.computeIfAbsent(node.kind(), k -> new ArrayList<>()).add(node);
            }
        }
        return nodesByKind;
    }

    private static List<SyntaxNode> descendants(SyntaxNode root) {
        List<SyntaxNode> out = new ArrayList<>();
        List<SyntaxNode> stack = new ArrayList<>();
        stack.add(root);
        while (!stack.isEmpty()) {
            SyntaxNode node = stack.remove(stack.size() - 1);
            out.add(node);
            List<SyntaxNode> children = node.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                stack.add(children.get(i));
            }
        }
        return out;
    }

    /** A lone metavariable or ellipsis matches expressions, not every statement and token around them. */
    private static boolean canStartAt(PatternNode pattern, SyntaxNode node) {
        return switch (pattern) {
            case PatternNode.Metavariable m -> node.named() && isExpressionLike(node);
            case PatternNode.Ellipsis e -> false;
            case PatternNode.Sequence s -> !node.children().isEmpty();
            case PatternNode.Node n -> node.kind().equals(n.kind());
            default -> true;
        };
    }

    private static boolean isExpressionLike(SyntaxNode node) {
        String kind = node.kind();
        return !(kind.endsWith("statement") || kind.endsWith("declaration") || kind.endsWith("definition")
                || kind.equals("module") || kind.equals("program") || kind.equals("source_file")
                || kind.equals("block") || kind.equals("comment") || node.parent() == null);
    }

    interface Found {
        void found(Bindings bindings);
    }

    interface FoundSpan {
        void found(Bindings bindings, int start, int end);
    }

    void match(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (++steps % 4096 == 0) {
            deadline.check();
        }
        switch (pattern) {
            case PatternNode.Metavariable m -> {
                if (node.named()) {
                    bind(m.name(), Captured.of(node), bindings, next);
                }
            }
            case PatternNode.Ellipsis e -> next.found(bindings);
            case PatternNode.MetavariableEllipsis m -> bind(m.name(), Captured.of(node), bindings, next);
            case PatternNode.Deep deep -> {
                for (SyntaxNode inner : descendants(node)) {
                    match(deep.inner(), inner, bindings, next);
                }
            }
            case PatternNode.StringLiteral literal -> {
                if (Strings.isString(node.kind())) {
                    if (literal.metavariable() != null) {
                        bind(literal.metavariable(), Captured.of(node), bindings, next);
                    } else if (literal.content() == null || literal.content().equals(Strings.content(node.text()))) {
                        next.found(bindings);
                    }
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Token token -> {
                if (node.isLeaf() && node.text().equals(token.text())) {
                    next.found(bindings);
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Node pnode -> {
                if (pnode.kind().equals(node.kind())) {
                    if (pnode.kind().equals("modifiers")) {
                        matchUnordered(pnode.children(), 0, node.children(), new boolean[node.children().size()], bindings, next);
                    } else {
                        matchChildren(pnode.children(), 0, node.children(), 0, bindings, next);
                    }
                } else {
                    matchInsideParentheses(pattern, node, bindings, next);
                }
            }
            case PatternNode.Sequence sequence ->
                    matchChildren(sequence.statements(), 0, List.of(node), 0, bindings, next);
        }
    }

    private void matchInsideParentheses(PatternNode pattern, SyntaxNode node, Bindings bindings, Found next) {
        if (Strings.isParenthesized(node.kind()) && node.children().size() == 1) {
            match(pattern, node.children().get(0), bindings, next);
        }
    }

    private static void bind(String name, Captured captured, Bindings bindings, Found next) {
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
    private void matchChildren(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings, Found next) {
        if (i == patterns.size()) {
            if (j == nodes.size()) {
                next.found(bindings);
            } else if (OPTIONAL_KINDS.contains(nodes.get(j).kind())) {
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
                    int end = k;
                    int emptyAt = j < nodes.size() ? nodes.get(j).start() : (j > 0 ? nodes.get(j - 1).end() : 0);
                    bind(m.name(), Captured.of(nodes.subList(j, k), tree.source(), emptyAt), bindings,
                            b -> matchChildren(patterns, i + 1, nodes, end, b, next));
                }
            }
            default -> {
                if (j >= nodes.size()) {
                    return;
                }
                SyntaxNode node = nodes.get(j);
                match(pattern, node, bindings, b -> matchChildren(patterns, i + 1, nodes, j + 1, b, next));
                if (OPTIONAL_KINDS.contains(node.kind()) && !(pattern instanceof PatternNode.Node p && p.kind().equals(node.kind()))) {
                    matchChildren(patterns, i, nodes, j + 1, bindings, next);
                }
            }
        }
    }

    /** Each pattern child matches a different file child, in any order (modifier lists). */
    private void matchUnordered(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, boolean[] used, Bindings bindings, Found next) {
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

    /**
     * Statements of a pattern against a run of statements in a block. The run may end before the
     * block does, and after an ellipsis the next statement may also be nested deeper (inside an
     * {@code if} or a loop that follows), as in Semgrep.
     */
    private void matchStatements(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings,
                                 int start, int end, FoundSpan next) {
        if (i == patterns.size()) {
            if (start >= 0) {
                next.found(bindings, start, end);
            }
            return;
        }
        PatternNode pattern = patterns.get(i);
        if (pattern instanceof PatternNode.Ellipsis || pattern instanceof PatternNode.MetavariableEllipsis) {
            if (i == patterns.size() - 1) {
                if (start >= 0) {
                    next.found(bindings, start, end);
                }
                return;
            }
            List<SyntaxNode> rest = flattenStatements(nodes, j);
            for (int k = 0; k < rest.size(); k++) {
                matchStatements(patterns, i + 1, rest, k, bindings, start, end, next);
            }
            return;
        }
        if (j >= nodes.size()) {
            return;
        }
        SyntaxNode node = nodes.get(j);
        match(pattern, node, bindings,
                b -> matchStatements(patterns, i + 1, nodes, j + 1, b, start < 0 ? node.start() : start, node.end(), next));
    }

    private static List<SyntaxNode> flattenStatements(List<SyntaxNode> nodes, int from) {
        List<SyntaxNode> out = new ArrayList<>();
        for (int k = from; k < nodes.size(); k++) {
            addStatements(nodes.get(k), out);
        }
        return out;
    }

    private static void addStatements(SyntaxNode node, List<SyntaxNode> out) {
        out.add(node);
        addNestedStatements(node, out);
    }

    /** Statements are the children of blocks, however deep the blocks sit in {@code node}. */
    private static void addNestedStatements(SyntaxNode node, List<SyntaxNode> out) {
        boolean block = isBlockLike(node.kind());
        for (SyntaxNode child : node.children()) {
            if (block) {
                addStatements(child, out);
            } else {
                addNestedStatements(child, out);
            }
        }
    }

    private static boolean isBlockLike(String kind) {
        return kind.equals("block") || kind.equals("statement_block") || kind.equals("statement_list")
                || kind.equals("class_body") || kind.equals("switch_block_statement_group");
    }
}

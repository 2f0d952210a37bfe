package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Matches a sequence of statement patterns against the statements of a block, as Semgrep does:
 * after an ellipsis the next statement may also sit deeper (inside an {@code if} or a loop that
 * follows), and an expression statement also matches a statement that contains the expression.
 */
final class StatementSequences {
    private final Matcher matcher;
    private final LanguageSyntax syntax;

    StatementSequences(Matcher matcher, LanguageSyntax syntax) {
        this.matcher = matcher;
        this.syntax = syntax;
    }

    interface FoundSpan {
        void found(Bindings bindings, int start, int end);
    }

    /**
     * Whether a sequence opens with a plain ellipsis. It absorbs any prefix, and the statements
     * after it are also looked for in nested blocks, so its match from the first statement of the
     * outermost block holds every other match (same bindings, a wider range): that one is enough.
     */
    static boolean opensWithEllipsis(PatternNode pattern) {
        return pattern instanceof PatternNode.Sequence sequence && sequence.statements().get(0) instanceof PatternNode.Ellipsis;
    }

    /**
     * The statements a sequence can start at, found with one match attempt per node instead of one
     * per statement and enclosing statement: those its first statement matches, and those holding
     * (outside nested blocks) a match of that statement's expression. Null when any statement
     * could start it (the sequence opens with an ellipsis).
     */
    Set<SyntaxNode> starts(PatternNode.Sequence sequence, List<SyntaxNode> nodes, Bindings initial) {
        PatternNode first = sequence.statements().get(0);
        if (first instanceof PatternNode.Ellipsis || first instanceof PatternNode.MetavariableEllipsis) {
            return null;
        }
        PatternNode expression = statementExpression(first);
        Set<SyntaxNode> starts = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SyntaxNode node : nodes) {
            // An expression statement pattern matches another node only through its expression
            // (or parentheses), so the expression's outcome answers both questions at once.
            // Only statements start a sequence (find skips the rest), so only they are tried as starts.
            boolean expressionMatches = expression != null && matchesAtAll(expression, node, initial);
            if (matcher.isStatement(node) && (expression == null || syntax.isExpressionStatement(node.kind())
                    || Strings.isParenthesized(node.kind()) ? matchesAtAll(first, node, initial) : expressionMatches)) {
                starts.add(node);
            }
            if (expressionMatches && !node.isLeaf() && !syntax.isBlock(node.kind()) && matcher.canStartAt(expression, node)) {
                // Any enclosing node up to the nearest block holds this match "inside the statement".
                for (SyntaxNode holder = node.parent(); holder != null; holder = holder.parent()) {
                    starts.add(holder);
                    if (syntax.isBlock(holder.kind())) {
                        break;
                    }
                }
            }
        }
        return starts;
    }

    /** The expression of an expression statement pattern, or null. */
    private PatternNode statementExpression(PatternNode pattern) {
        if (pattern instanceof PatternNode.Node statement && syntax.table().expressionStatements().isEmpty() && !syntax.isBlock(statement.kind())) {
            // Where statements are bare expressions (Ruby), each is Semgrep's expression statement of itself.
            return statement;
        }
        PatternNode expression = null;
        // Wrappers may nest (Solidity's statement holds an expression statement holding an expression).
        while (pattern instanceof PatternNode.Node statement && syntax.isExpressionStatement(statement.kind())
                && statement.children().size() == 1) {
            expression = statement.children().get(0);
            pattern = expression;
        }
        return expression;
    }

    private boolean matchesAtAll(PatternNode pattern, SyntaxNode node, Bindings initial) {
        boolean[] matched = {false};
        matcher.match(pattern, node, initial, b -> matched[0] = true);
        return matched[0];
    }

    /**
     * Statements of a pattern against a run of statements in a block, from {@code nodes[j]}.
     * With {@code strictEnd} the pattern must account for the block's last statement.
     */
    void match(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings,
               int start, int end, boolean strictEnd, FoundSpan next) {
        match(patterns, i, nodes, j, bindings, start, end, strictEnd, false, next);
    }

    /** @param flat whether {@code nodes} already lists nested statements (after an ellipsis) */
    private void match(List<PatternNode> patterns, int i, List<SyntaxNode> nodes, int j, Bindings bindings,
                       int start, int end, boolean strictEnd, boolean flat, FoundSpan next) {
        if (i == patterns.size()) {
            // In a flattened list, statements nested in the last match do not count as left over.
            if (!strictEnd || j == nodes.size() || flat && nodes.get(nodes.size() - 1).end() <= end) {
                next.found(bindings, start, end);
            }
            return;
        }
        PatternNode pattern = patterns.get(i);
        if (pattern instanceof PatternNode.Ellipsis || pattern instanceof PatternNode.MetavariableEllipsis) {
            if (start < 0 && j < nodes.size()) {
                // A leading ellipsis takes in the statements it skips, so the match starts at the first.
                start = nodes.get(j).start();
            }
            if (i == patterns.size() - 1) {
                // A trailing ellipsis takes in the rest of the block, so the match spans it.
                next.found(bindings, start, j < nodes.size() ? Math.max(end, nodes.get(nodes.size() - 1).end()) : end);
                return;
            }
            List<SyntaxNode> rest = flat ? nodes : flatten(nodes, j);
            // Past a plain ellipsis the block need not end where the pattern does (Semgrep's less-is-ok);
            // $...BODY still takes exactly what it spans.
            boolean strictAfter = strictEnd && pattern instanceof PatternNode.MetavariableEllipsis;
            for (int k = flat ? j : 0; k < rest.size(); k++) {
                match(patterns, i + 1, rest, k, bindings, start, end, strictAfter, true, next);
            }
            return;
        }
        if (j >= nodes.size()) {
            return;
        }
        SyntaxNode node = nodes.get(j);
        int newStart = start < 0 ? node.start() : start;
        // In a flattened list the statements nested in this one come next; the pattern's next statement follows it.
        int after = j + 1;
        while (flat && after < nodes.size() && nodes.get(after).start() < node.end()) {
            after++;
        }
        int following = after;
        Matcher.Found continuation = b -> match(patterns, i + 1, nodes, following, b, newStart, node.end(), strictEnd, flat, next);
        boolean[] matched = {false};
        matcher.match(pattern, node, bindings, b -> {
            matched[0] = true;
            continuation.found(b);
        });
        PatternNode expression = statementExpression(pattern);
        // A block's statements are matched on their own, not as the inside of one statement.
        if (expression != null && !syntax.isBlock(node.kind())) {
            if (!matched[0] && expression instanceof PatternNode.Deep deep) {
                // "<... e ...>" as a statement is any statement containing e, a bare name ("return f") included.
                matcher.match(deep, node, bindings, continuation);
            } else if (!matched[0]) {
                matchInsideStatement(expression, node, bindings, continuation);
            } else {
                // The statement's expression matched; calls nested in it may match too (a.Order(x).Find(y)).
                for (SyntaxNode child : node.children()) {
                    if (!child.isLeaf() && !syntax.isBlock(child.kind())) {
                        matchInsideStatement(expression, child, bindings, continuation);
                    }
                }
            }
        }
    }

    /** Matches an expression anywhere in a statement, outside its nested blocks (statements of their own). */
    private void matchInsideStatement(PatternNode expression, SyntaxNode node, Bindings bindings, Matcher.Found next) {
        for (SyntaxNode child : node.children()) {
            if (child.isLeaf() || syntax.isBlock(child.kind())) {
                continue;
            }
            if (matcher.canStartAt(expression, child)) {
                matcher.match(expression, child, bindings, next);
            }
            matchInsideStatement(expression, child, bindings, next);
        }
    }

    private List<SyntaxNode> flatten(List<SyntaxNode> nodes, int from) {
        List<SyntaxNode> out = new ArrayList<>();
        for (int k = from; k < nodes.size(); k++) {
            addStatements(nodes.get(k), out);
        }
        return out;
    }

    private void addStatements(SyntaxNode node, List<SyntaxNode> out) {
        out.add(node);
        addNestedStatements(node, out);
    }

    /** Statements are the children of blocks, however deep the blocks sit in {@code node}. */
    private void addNestedStatements(SyntaxNode node, List<SyntaxNode> out) {
        boolean block = syntax.isBlock(node.kind());
        for (SyntaxNode child : node.children()) {
            if (block) {
                addStatements(child, out);
            } else {
                addNestedStatements(child, out);
            }
        }
    }
}

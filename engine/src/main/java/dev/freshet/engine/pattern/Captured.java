package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;

/**
 * What a metavariable captured: one node, a run of sibling nodes, or (from a regex) a span of text.
 * Two captures are equal when their code is equal token by token, whatever the layout.
 */
public record Captured(int start, int end, String text, List<SyntaxNode> nodes, String key) {

    public static Captured of(SyntaxNode node) {
        return new Captured(node.start(), node.end(), node.text(), List.of(node), key(node));
    }

    public static Captured of(List<SyntaxNode> nodes, String source, int emptyAt) {
        if (nodes.isEmpty()) {
            return new Captured(emptyAt, emptyAt, "", nodes, "");
        }
        int start = nodes.get(0).start();
        int end = nodes.get(nodes.size() - 1).end();
        StringBuilder key = new StringBuilder();
        for (SyntaxNode node : nodes) {
            key.append(key(node)).append(" , ");
        }
        return new Captured(start, end, source.substring(start, end), List.copyOf(nodes), key.toString());
    }

    public static Captured ofText(int start, int end, String text) {
        return new Captured(start, end, text, List.of(), text);
    }

    /** The single node captured, or null for runs and text. */
    public SyntaxNode node() {
        return nodes.size() == 1 ? nodes.get(0) : null;
    }

    public boolean sameCode(Captured other) {
        return key.equals(other.key);
    }

    private static String key(SyntaxNode node) {
        if (Strings.isString(node.kind())) {
            return "\"" + Strings.content(node.text()) + "\"";
        }
        if (node.isLeaf()) {
            return node.text();
        }
        StringBuilder out = new StringBuilder();
        appendTokens(node, out);
        return out.toString();
    }

    private static void appendTokens(SyntaxNode node, StringBuilder out) {
        if (node.isLeaf() || Strings.isString(node.kind())) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(key(node));
            return;
        }
        for (SyntaxNode child : node.children()) {
            appendTokens(child, out);
        }
    }
}

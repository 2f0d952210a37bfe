package dev.freshet.engine.pattern;

import dev.freshet.engine.parse.SyntaxNode;
import java.util.List;

/**
 * What a metavariable captured: one node, a run of sibling nodes, or (from a regex or inside a
 * string) a span of text. Two captures are equal when their code is equal token by token, whatever
 * the layout. Text and comparison key are computed on first use: most captures are never printed
 * or compared, and computing them eagerly costs quadratic time on deeply nested code.
 */
public final class Captured {
    /** Brackets the parser drops, put back around the nodes they open and close. */
    private static final String OPENING = "([{";

    private final int start;
    private final int end;
    private final List<SyntaxNode> nodes;
    private final String source;
    private String text;
    private String key;

    private Captured(int start, int end, List<SyntaxNode> nodes, String source, String text) {
        this.start = start;
        this.end = end;
        this.nodes = nodes;
        this.source = source;
        this.text = text;
    }

    public static Captured of(SyntaxNode node) {
        return new Captured(node.start(), node.end(), List.of(node), null, null);
    }

    public static Captured of(List<SyntaxNode> nodes, String source, int emptyAt) {
        if (nodes.isEmpty()) {
            return new Captured(emptyAt, emptyAt, List.of(), null, "");
        }
        return new Captured(nodes.get(0).start(), nodes.get(nodes.size() - 1).end(), List.copyOf(nodes), source, null);
    }

    public static Captured ofText(int start, int end, String text) {
        return new Captured(start, end, List.of(), null, text);
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public List<SyntaxNode> nodes() {
        return nodes;
    }

    /** The source text captured. */
    public String text() {
        if (text == null) {
            text = nodes.size() == 1 ? nodes.get(0).text() : source.substring(start, end);
        }
        return text;
    }

    /** The single node captured, or null for runs and text. */
    public SyntaxNode node() {
        return nodes.size() == 1 ? nodes.get(0) : null;
    }

    /** Equal code token by token, its identifiers naming the same variables. */
    public boolean sameCode(Captured other) {
        return key().equals(other.key()) && (node() == null || other.node() == null || Variables.sameThroughout(node(), other.node()));
    }

    private String key() {
        if (key == null) {
            if (nodes.isEmpty()) {
                key = text;
            } else {
                StringBuilder out = new StringBuilder();
                for (SyntaxNode node : nodes) {
                    if (!out.isEmpty()) {
                        out.append(" , ");
                    }
                    appendTokens(node, out);
                }
                key = out.toString();
            }
        }
        return key;
    }

    private static void appendTokens(SyntaxNode node, StringBuilder out) {
        if (Strings.isString(node.kind()) && node.children().stream().noneMatch(c -> Strings.isInterpolation(c.kind()))) {
            separate(out).append('"').append(Strings.content(node)).append('"');
        } else if (node.isLeaf()) {
            separate(out).append(node.text());
        } else {
            // The parser drops brackets; put back those around a node, so that (x,) or [x] is not x.
            // A parenthesized expression is its expression, as in Semgrep.
            String text = node.text();
            List<SyntaxNode> children = node.children();
            boolean brackets = !Strings.isParenthesized(node.kind()) && OPENING.indexOf(text.charAt(0)) >= 0
                    && children.get(0).start() > node.start();
            if (brackets) {
                separate(out).append(text.charAt(0));
            }
            for (SyntaxNode child : children) {
                appendTokens(child, out);
            }
            if (brackets && children.get(children.size() - 1).end() < node.end()) {
                separate(out).append(text.charAt(text.length() - 1));
            }
        }
    }

    private static StringBuilder separate(StringBuilder out) {
        return out.isEmpty() ? out : out.append(' ');
    }

    @Override
    public String toString() {
        return text();
    }
}

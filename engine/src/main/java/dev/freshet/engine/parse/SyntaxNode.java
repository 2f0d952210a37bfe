package dev.freshet.engine.parse;

import java.util.List;

/**
 * One node of a parsed file, detached from the native parser so that matching runs in plain Java.
 * Offsets are char indexes into the source string.
 */
public final class SyntaxNode {
    private final String kind;
    private final String field;
    private final boolean named;
    private final boolean error;
    private final int start;
    private final int end;
    private final List<SyntaxNode> children;
    private final String source;
    /** A data scalar's value as its parser decoded it (YAML's escapes, folding, block indentation), or null. */
    private final String value;
    /** The text, once asked for. */
    private String text;
    /** Set by the parent node, or read from the table on first use. */
    private SyntaxNode parent;
    /** The rows this node was made from, or null for a node built by hand. */
    private final NodeTable table;
    /** This node's row in {@code table}: its place in the tree's preorder list. */
    private final int row;
    /** A node built by hand: where it and its subtree lie in the tree's preorder list, set by the tree. */
    int preorderIndex;
    int subtreeEnd;

    SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
               List<SyntaxNode> children, String source) {
        this(kind, field, named, error, start, end, children, source, null);
    }

    /** A node built by hand, which becomes its children's parent. */
    SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
               List<SyntaxNode> children, String source, String value) {
        this(null, -1, kind, field, named, error, start, end, children, source, value);
        for (int i = 0; i < children.size(); i++) {
            children.get(i).parent = this;
        }
    }

    /** A node of a table's row, made when first read; its parent is read from the table when asked for. */
    SyntaxNode(NodeTable table, int row, String kind, String field, boolean named, boolean error, int start, int end,
               List<SyntaxNode> children, String source) {
        this(table, row, kind, field, named, error, start, end, children, source, null);
    }

    private SyntaxNode(NodeTable table, int row, String kind, String field, boolean named, boolean error, int start, int end,
                       List<SyntaxNode> children, String source, String value) {
        this.table = table;
        this.row = row;
        this.kind = kind;
        this.field = field;
        this.named = named;
        this.error = error;
        this.start = start;
        this.end = end;
        this.children = children;
        this.source = source;
        this.value = value;
    }

    /** The grammar's node type, e.g. {@code call} or {@code identifier}. */
    public String kind() {
        return kind;
    }

    /** The grammar field this node fills in its parent ({@code function}, {@code arguments}), or null. */
    public String field() {
        return field;
    }

    public boolean named() {
        return named;
    }

    /** Whether the parser could not make sense of this part of the source. */
    public boolean isError() {
        return error;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public List<SyntaxNode> children() {
        return children;
    }

    public boolean isLeaf() {
        return children.isEmpty();
    }

    /** The source text this node covers. */
    public String text() {
        String t = text;
        if (t == null) {
            t = source.substring(start, end);
            text = t;
        }
        return t;
    }

    /** Whether the node's text is {@code text}, without making a string of it. */
    public boolean hasText(String text) {
        return text.length() == end - start && source.startsWith(text, start);
    }

    /**
     * The value a YAML scalar stands for, which its source text only spells (Semgrep compares
     * {@code Yaml_to_generic}'s scalars by value and reports them by their text); null for other nodes.
     */
    public String value() {
        return value;
    }

    public SyntaxNode parent() {
        SyntaxNode p = parent;
        if (p == null && table != null) {
            p = table.parent(row);
            parent = p;
        }
        return p;
    }

    /** Where this node lies in its tree's preorder list. */
    int preorderIndex() {
        return table != null ? row : preorderIndex;
    }

    /** Where the preorder list leaves this node's subtree. */
    int subtreeEnd() {
        return table != null ? table.subtreeEnd(row) : subtreeEnd;
    }

    @Override
    public String toString() {
        return kind + "@" + start + "-" + end;
    }
}

package dev.freshet.engine.parse;

import java.util.Arrays;
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
    private String text;
    private SyntaxNode parent;
    private int indexInParent;
    /** Set by the tree: where this node and its subtree lie in the tree's preorder list. */
    int preorderIndex;
    int subtreeEnd;

    SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
               List<SyntaxNode> children, String source) {
        this(kind, field, named, error, start, end, children, source, null);
    }

    SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
               List<SyntaxNode> children, String source, String value) {
        this(kind, field, named, error, start, end, children, source, value, true);
    }

    /**
     * A node whose children are the first {@code count} of {@code children}. The tree-sitter reader makes
     * most nodes, one per node of every file scanned, through this: the parent links are set by a loop
     * over the array, not through the List interface (a dispatch per call in C1-compiled code).
     */
    SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
               SyntaxNode[] children, int count, String source) {
        this(kind, field, named, error, start, end,
                count == 0 ? List.of() : Arrays.asList(count == children.length ? children : Arrays.copyOf(children, count)),
                source, null, false);
        for (int i = 0; i < count; i++) {
            children[i].parent = this;
            children[i].indexInParent = i;
        }
    }

    private SyntaxNode(String kind, String field, boolean named, boolean error, int start, int end,
                       List<SyntaxNode> children, String source, String value, boolean linkChildren) {
        this.value = value;
        this.kind = kind;
        this.field = field;
        this.named = named;
        this.error = error;
        this.start = start;
        this.end = end;
        this.children = children;
        this.source = source;
        if (linkChildren) {
            for (int i = 0; i < children.size(); i++) {
                children.get(i).parent = this;
                children.get(i).indexInParent = i;
            }
        }
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
        return parent;
    }

    public int indexInParent() {
        return indexInParent;
    }

    @Override
    public String toString() {
        return kind + "@" + start + "-" + end;
    }
}

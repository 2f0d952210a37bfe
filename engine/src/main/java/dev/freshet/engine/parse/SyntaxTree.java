package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A parsed source file. {@code errorCount} counts the parts the parser had to skip or guess.
 * The tree is listed once in preorder, here or by the parser that builds it: every later whole-file
 * search (node-kind indexes, scoped searches, type and taint facts) reads that list or a slice of it.
 */
public final class SyntaxTree {
    private final Language language;
    private final String source;
    private final SyntaxNode root;
    private final int errorCount;
    private final int missingTokens;
    private final List<SyntaxNode> nodes;
    /** The nodes of each kind, in preorder: built on first use, by whichever thread asks (they build the same). */
    private volatile KindIndex kindIndex;

    public SyntaxTree(Language language, String source, SyntaxNode root, int errorCount) {
        this(language, source, root, errorCount, 0);
    }

    /** @param missingTokens closing brackets the parser inserted to finish the source, counted in {@code errorCount} too */
    public SyntaxTree(Language language, String source, SyntaxNode root, int errorCount, int missingTokens) {
        this(language, source, root, errorCount, missingTokens, preorder(root), null);
    }

    /**
     * For a reader that lists the nodes, and may sort them by kind, as it builds them.
     * @param nodes every node of the tree in preorder, each knowing its place in this list and its subtree's end
     * @param kindIndex the nodes of each kind in preorder, or null to build that index on first use
     */
    SyntaxTree(Language language, String source, SyntaxNode root, int errorCount, int missingTokens, List<SyntaxNode> nodes,
               KindIndex kindIndex) {
        this.missingTokens = missingTokens;
        this.language = language;
        this.source = source;
        this.root = root;
        this.errorCount = errorCount;
        this.nodes = Collections.unmodifiableList(nodes);
        this.kindIndex = kindIndex;
    }

    /** A file read as plain text, for the text languages (generic, regex): one node spanning the whole source. */
    public static SyntaxTree text(Language language, String source) {
        return new SyntaxTree(language, source, new SyntaxNode("text", null, true, false, 0, source.length(), List.of(), source), 0);
    }

    private static List<SyntaxNode> preorder(SyntaxNode root) {
        List<SyntaxNode> preorder = new ArrayList<>();
        // Recursion is as deep as the tree, as in the parsers' own copies of it.
        index(root, preorder);
        return preorder;
    }

    private static void index(SyntaxNode node, List<SyntaxNode> preorder) {
        node.preorderIndex = preorder.size();
        preorder.add(node);
        for (SyntaxNode child : node.children()) {
            index(child, preorder);
        }
        node.subtreeEnd = preorder.size();
    }

    public Language language() {
        return language;
    }

    public String source() {
        return source;
    }

    public SyntaxNode root() {
        return root;
    }

    public int errorCount() {
        return errorCount;
    }

    /**
     * Closing brackets the parser had to invent: such a token is not a node of the tree
     * (punctuation never is), so a tree can hold no error node and still be cut off.
     */
    public int missingTokens() {
        return missingTokens;
    }

    /** All nodes, each before its children, in source order. */
    public List<SyntaxNode> nodes() {
        return nodes;
    }

    /** The nodes of one kind, in preorder; the index of every kind is built by the first call. */
    public List<SyntaxNode> nodesOfKind(String kind) {
        KindIndex index = kindIndex;
        if (index == null) {
            index = KindIndex.of(nodes);
            kindIndex = index;
        }
        return index.nodesOf(kind);
    }

    /** The nodes of any of these kinds, in preorder: what a walk of the whole tree looking for them would meet. */
    public List<SyntaxNode> nodesOfKinds(Collection<String> kinds) {
        List<SyntaxNode> found = new ArrayList<>();
        for (String kind : kinds) {
            found.addAll(nodesOfKind(kind));
        }
        found.sort(Comparator.comparingInt(SyntaxNode::preorderIndex));
        return found;
    }

    /** The node and everything below it, in preorder, as a view of {@link #nodes()}. */
    public List<SyntaxNode> descendants(SyntaxNode node) {
        int at = node.preorderIndex();
        if (at < 0 || at >= nodes.size() || nodes.get(at) != node) {
            throw new IllegalArgumentException(node + " is not a node of this tree");
        }
        return nodes.subList(at, node.subtreeEnd());
    }
}

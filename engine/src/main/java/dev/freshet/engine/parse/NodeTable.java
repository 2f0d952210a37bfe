package dev.freshet.engine.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A parsed tree's nodes as rows of numbers, one row per node in preorder. The {@link SyntaxNode} of a row is
 * made when something first reads it, and kept: matching reads about a fifth of a file's nodes (its
 * patterns' candidates and what lies near them), so most are never made. A row takes 24 bytes and a made
 * node about 100 with its list of children, where every node was made before: a tree takes about half the
 * memory, and a scan allocates a third less.
 *
 * <p>Shared trees stay consistent without locks: the rows are written before the tree is published, and a
 * node has only final fields apart from caches of values that do not change (JLS 17.5), so a plain read of a
 * row's slot finds null or a whole node. Threads that make a row's node at once keep the first one stored.
 */
final class NodeTable {
    private static final VarHandle MADE = MethodHandles.arrayElementVarHandle(SyntaxNode[].class);
    /** A row's word: its grammar symbol, its field's id above, and the sign bit when it is an error (an ERROR node or one the parser invented). */
    private static final int FIELD_SHIFT = 16;
    private static final int ERROR_BIT = 1 << 31;

    private final String source;
    /** Kind and field names and whether kinds are named, indexed by symbol and field id. */
    private final String[] kinds;
    private final boolean[] named;
    private final String[] fields;
    private final int errorSymbol;
    private final int[] words;
    private final int[] starts;
    private final int[] ends;
    private final int[] subtreeEnds;
    /** The parent's row, -1 for the root. */
    private final int[] parents;
    private final SyntaxNode[] made;
    private final List<SyntaxNode> preorder;

    /**
     * Rows are appended by {@link #add} and finished by {@link #close}, parents before their children.
     * @param capacity at least the number of rows
     */
    NodeTable(String source, String[] kinds, boolean[] named, String[] fields, int errorSymbol, int capacity) {
        this.source = source;
        this.kinds = kinds;
        this.named = named;
        this.fields = fields;
        this.errorSymbol = errorSymbol;
        this.words = new int[capacity];
        this.starts = new int[capacity];
        this.ends = new int[capacity];
        this.subtreeEnds = new int[capacity];
        this.parents = new int[capacity];
        this.made = new SyntaxNode[capacity];
        this.preorder = new Rows(this, null, 0, capacity);
    }

    /** Writes row {@code row}; its subtree's end is written by {@link #close} once its children are. */
    void add(int row, int symbol, int fieldId, boolean error, int start, int end, int parent) {
        words[row] = symbol | (fieldId & 0x7FFF) << FIELD_SHIFT | (error ? ERROR_BIT : 0);
        starts[row] = start;
        ends[row] = end;
        parents[row] = parent;
    }

    void close(int row, int subtreeEnd) {
        subtreeEnds[row] = subtreeEnd;
    }

    /** The first {@code rows} rows in preorder, each made into a node when read. */
    List<SyntaxNode> preorder(int rows) {
        return rows == made.length ? preorder : preorder.subList(0, rows);
    }

    /** The nodes of the given rows, made when read. */
    List<SyntaxNode> rows(int[] rows) {
        return new Rows(this, rows, 0, rows.length);
    }

    int subtreeEnd(int row) {
        return subtreeEnds[row];
    }

    SyntaxNode parent(int row) {
        int parent = parents[row];
        return parent < 0 ? null : node(parent);
    }

    /** The node of {@code row}, made on the first read. */
    SyntaxNode node(int row) {
        SyntaxNode node = made[row];
        return node != null ? node : make(row);
    }

    private SyntaxNode make(int row) {
        int word = words[row];
        int symbol = word & 0xFFFF;
        int fieldId = (word & ~ERROR_BIT) >>> FIELD_SHIFT;
        boolean errorNode = symbol == errorSymbol;
        SyntaxNode node = new SyntaxNode(this, row, errorNode ? "ERROR" : kinds[symbol],
                fieldId > 0 && fieldId < fields.length ? fields[fieldId] : null, errorNode || named[symbol], word < 0,
                starts[row], ends[row], children(row), source);
        SyntaxNode first = (SyntaxNode) MADE.compareAndExchange(made, row, null, node);
        return first != null ? first : node;
    }

    /** The children of {@code row}: the rows that follow it within its subtree, each past its predecessor's subtree. */
    private List<SyntaxNode> children(int row) {
        int end = subtreeEnds[row];
        if (end == row + 1) {
            return List.of();
        }
        int count = 0;
        for (int child = row + 1; child < end; child = subtreeEnds[child]) {
            count++;
        }
        int[] rows = new int[count];
        for (int child = row + 1, i = 0; child < end; child = subtreeEnds[child]) {
            rows[i++] = child;
        }
        return rows(rows);
    }

    /** Some of a table's nodes, by row ({@code rows[from .. to)}, or rows {@code from .. to} themselves when null). */
    private static final class Rows extends AbstractList<SyntaxNode> implements RandomAccess {
        private final NodeTable table;
        private final int[] rows;
        private final int from;
        private final int to;

        Rows(NodeTable table, int[] rows, int from, int to) {
            this.table = table;
            this.rows = rows;
            this.from = from;
            this.to = to;
        }

        @Override
        public SyntaxNode get(int index) {
            Objects.checkIndex(index, to - from);
            return table.node(rows == null ? from + index : rows[from + index]);
        }

        @Override
        public int size() {
            return to - from;
        }

        @Override
        public List<SyntaxNode> subList(int fromIndex, int toIndex) {
            Objects.checkFromToIndex(fromIndex, toIndex, to - from);
            return new Rows(table, rows, from + fromIndex, from + toIndex);
        }
    }
}

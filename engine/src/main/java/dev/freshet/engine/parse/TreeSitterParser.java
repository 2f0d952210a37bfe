package dev.freshet.engine.parse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses with tree-sitter's C library, called through the Foreign Function &amp; Memory API, and
 * copies the tree into the rows of a {@link NodeTable}, dropping comments and list punctuation, which no
 * pattern distinguishes; a row becomes a {@link SyntaxNode} when it is first read. The engine's build of the library copies a whole tree into an array in one call;
 * with the Maven artifact's library Java walks the tree node by node into the same array. Node kinds
 * and field names come from per-grammar tables read once. A language's grammar is found by the name its {@link Language} entry holds.
 * Native parsers are not thread-safe, so each parse borrows one from a pool.
 */
public final class TreeSitterParser implements SourceParser {
    /** Tokens that only separate or group list items; the node kinds around them carry the meaning. */
    private static final Set<String> PUNCTUATION = Set.of(",", ";", "(", ")", "{", "}", "[", "]");
    /** tree-sitter's symbol for ERROR nodes. */
    private static final int ERROR_SYMBOL = 0xFFFF;
    /** Grammars are constant data of the loaded libraries, the same for every parser. */
    private static final Map<String, Grammar> GRAMMARS = new ConcurrentHashMap<>();

    /** Whether trees are copied in one native call ({@code freshet_tree_copy}) rather than walked node by node from Java. */
    private final boolean nativeCopy;
    /** Whether the grammars the engine's build compiled are preferred to the bonede artifacts'. */
    private final boolean builtGrammars;

    public TreeSitterParser() {
        this(TreeSitterApi.hasEngineFunctions(), true);
    }

    /**
     * For tests that compare the fallbacks with what the build makes.
     * @param nativeCopy false walks every tree from Java, as with the Maven artifact's runtime
     * @param builtGrammars false parses with the bonede artifacts' grammars wherever they have one
     */
    TreeSitterParser(boolean nativeCopy, boolean builtGrammars) {
        if (nativeCopy && !TreeSitterApi.hasEngineFunctions()) {
            throw new IllegalStateException(TreeSitterApi.RUNTIME + " lacks the engine's functions (freshet_tree.c), the one-call tree copy among them");
        }
        this.nativeCopy = nativeCopy;
        this.builtGrammars = builtGrammars;
    }

    /**
     * A grammar with the names of its symbols and fields. Several symbols may share a kind name (aliases):
     * {@code kindIds} numbers the distinct names ({@code kindNumbers} gives a name's number), the last of them
     * being ERROR.
     */
    private record Grammar(MemorySegment language, String[] kinds, boolean[] named, boolean[] punctuation, boolean[] comment,
                           String[] fields, int[] kindIds, Map<String, Integer> kindNumbers) {
        static Grammar of(String library, String name) {
            MemorySegment grammar = TreeSitterApi.grammar(library, name);
            TreeSitterApi.LanguageNames names = TreeSitterApi.languageNames(grammar);
            String[] kinds = names.symbols();
            boolean[] named = names.named();
            int symbols = kinds.length;
            boolean[] punctuation = new boolean[symbols];
            boolean[] comment = new boolean[symbols];
            for (int symbol = 0; symbol < symbols; symbol++) {
                punctuation[symbol] = !named[symbol] && PUNCTUATION.contains(kinds[symbol]);
                comment[symbol] = named[symbol] && kinds[symbol].endsWith("comment");
            }
            String[] fields = names.fields();
            Map<String, Integer> ids = new LinkedHashMap<>();
            int[] kindIds = new int[symbols];
            for (int symbol = 0; symbol < symbols; symbol++) {
                kindIds[symbol] = ids.computeIfAbsent(kinds[symbol], k -> ids.size());
            }
            ids.putIfAbsent("ERROR", ids.size());
            return new Grammar(grammar, kinds, named, punctuation, comment, fields, kindIds, Map.copyOf(ids));
        }

        int kindId(int symbol) {
            return symbol == ERROR_SYMBOL ? kindNumbers.size() - 1 : kindIds[symbol];
        }
    }

    /**
     * Which build of tree-sitter's C library parses: {@code freshet-runtime} (optimised, copies a tree in
     * one call) or {@code tree-sitter} (the Maven artifact's).
     */
    public static String runtimeLibrary() {
        return TreeSitterApi.RUNTIME + (TreeSitterApi.hasEngineFunctions() ? " (one-call tree copy)" : " (tree copied node by node)");
    }

    @Override
    public SyntaxTree parse(Language language, String source) {
        return parse(language, source, null);
    }

    @Override
    public SyntaxTree parse(Language language, String source, byte[] utf8) {
        if (!language.parsed()) {
            return SyntaxTree.text(language, source);
        }
        if (language == Language.YAML || language == Language.JSON) {
            // Data, not code: Semgrep matches these as documents of mappings, sequences and scalars.
            return DataDocuments.parse(language, source);
        }
        if (language == Language.CLOJURE) {
            return ClojureReader.parse(source);
        }
        if (language == Language.DOCKERFILE) {
            return DockerfileShell.withBash(parseWithGrammar(language, source, utf8, source), this);
        }
        SyntaxTree tree = parseWithGrammar(language, source, utf8, source);
        if (language == Language.SCALA) {
            String repaired = ScalaLambdaBindings.repaired(tree);
            return repaired == null ? tree : parseWithGrammar(language, repaired, null, source);
        }
        return tree;
    }

    /**
     * Parses {@code text} (whose UTF-8 encoding {@code utf8} is, when not null), which has the same length
     * and offsets as {@code source}; the nodes read {@code source}.
     */
    private SyntaxTree parseWithGrammar(Language language, String text, byte[] utf8, String source) {
        Grammar grammar = grammar(language);
        return withNativeTree(language, text, utf8, TreeSitterApi.hasEngineFunctions(), (tree, textUtf8, arena) ->
                copy(language, grammar, source, Utf8Offsets.of(textUtf8, text.length()), tree, arena));
    }

    private Grammar grammar(Language language) {
        String name = language.grammar();
        return GRAMMARS.computeIfAbsent(TreeSitterApi.grammarLibrary(name, builtGrammars), library -> Grammar.of(library, name));
    }

    /** What is made of a native tree while it lives. */
    interface NativeTreeUse<T> {
        /** @param utf8 the parsed text's UTF-8, which the tree's byte offsets count */
        T apply(MemorySegment tree, byte[] utf8, Arena arena);
    }

    /** Parses {@code text} into a native tree, which is freed once {@code use} returns. */
    <T> T withNativeTree(Language language, String text, NativeTreeUse<T> use) {
        return withNativeTree(language, text, null, TreeSitterApi.hasEngineFunctions(), use);
    }

    /** The same, parsing in the engine's region or not (tests compare the two), from {@code text}'s UTF-8 if given. */
    <T> T withNativeTree(Language language, String text, byte[] textUtf8, boolean inRegion, NativeTreeUse<T> use) {
        Grammar grammar = grammar(language);
        try (Arena arena = Arena.ofConfined()) {
            byte[] utf8 = textUtf8 != null ? textUtf8 : text.getBytes(StandardCharsets.UTF_8);
            MemorySegment input = INPUT.get().holding(utf8);
            try (TreeSitterApi.Parsed parsed = TreeSitterApi.parse(grammar.language(), input, utf8.length, inRegion)) {
                if (parsed.tree().equals(MemorySegment.NULL)) {
                    throw new IllegalStateException("tree-sitter made no tree of a " + language.id()
                            + " file (a grammar of an ABI version this runtime refuses?)");
                }
                return use.apply(parsed.tree(), utf8, arena);
            }
        }
    }

    /** Each thread's native copy of the text it parses. */
    private static final ThreadLocal<Input> INPUT = ThreadLocal.withInitial(Input::new);

    /**
     * A buffer of native memory kept for the next parse on the same thread (as {@link TreeSitterApi#keptSize}
     * says): a fresh one for every file was allocated and zeroed by the JDK, and faulted in page by page.
     * Its memory goes with the buffer once the thread is gone (an automatic arena).
     */
    private static final class Input {
        private MemorySegment buffer = MemorySegment.NULL;

        /** The bytes, NUL-terminated, in native memory; valid until the next call on this thread. */
        MemorySegment holding(byte[] utf8) {
            long size = utf8.length + 1L;
            MemorySegment into = buffer;
            if (into.byteSize() < size) {
                into = Arena.ofAuto().allocate(TreeSitterApi.keptSize(size, into.byteSize(), 1));
                if (into.byteSize() <= TreeSitterApi.KEPT_BYTES) {
                    buffer = into;
                }
            }
            MemorySegment.copy(utf8, 0, into, ValueLayout.JAVA_BYTE, 0, utf8.length);
            into.asSlice(utf8.length, 1).fill((byte) 0); // not set(): its var handle costs the first parse a few ms
            return into;
        }
    }

    private SyntaxTree copy(Language language, Grammar grammar, String source, Utf8Offsets offsets, MemorySegment tree, Arena arena) {
        TreeSitterApi.Records records = nativeCopy ? TreeSitterApi.treeCopy(tree) : CursorCopy.of(tree, arena, false);
        return new Reader(grammar, records, source, offsets).tree(language);
    }

    /**
     * The runtime without the one-call copy (the Maven artifact's) walks the native tree with a cursor from
     * Java, a few calls per node, into the same preorder records as {@code freshet_tree_copy}.
     */
    static final class CursorCopy {
        private final MemorySegment cursor;
        /** The node under the cursor. */
        private final MemorySegment node;
        private final SegmentAllocator intoNode;
        private final boolean mayHaveErrors;
        private final boolean everyFlag;
        private int[] nodes = new int[1024];
        private int count;

        private CursorCopy(MemorySegment cursor, MemorySegment node, SegmentAllocator intoNode, boolean mayHaveErrors, boolean everyFlag) {
            this.cursor = cursor;
            this.node = node;
            this.intoNode = intoNode;
            this.mayHaveErrors = mayHaveErrors;
            this.everyFlag = everyFlag;
        }

        /**
         * @param everyFlag also the flags the reader never looks at (each node's has-error; missing and extra
         *     in a tree without errors), to compare with {@code freshet_tree_copy} word for word
         */
        static TreeSitterApi.Records of(MemorySegment tree, Arena arena, boolean everyFlag) {
            // Every node the walk reads is returned into this one buffer: no allocation per node.
            MemorySegment node = arena.allocate(TreeSitterApi.NODE);
            SegmentAllocator intoNode = SegmentAllocator.prefixAllocator(node);
            TreeSitterApi.treeRootNode(intoNode, tree);
            MemorySegment cursor = TreeSitterApi.cursorNew(arena, node);
            try {
                CursorCopy copy = new CursorCopy(cursor, node, intoNode, everyFlag || TreeSitterApi.nodeHasError(node), everyFlag);
                copy.node();
                return new TreeSitterApi.Records(copy.nodes, copy.count);
            } finally {
                TreeSitterApi.cursorDelete(cursor);
            }
        }

        /**
         * Writes the node under the cursor and its subtree. Unless every flag is wanted, whether a node is
         * missing or extra is asked only in a tree with errors, the only trees in which the reader looks at it.
         */
        private void node() {
            TreeSitterApi.cursorCurrentNode(intoNode, cursor);
            if (nodes.length < (count + 1) * TreeSitterApi.WORDS_PER_NODE) {
                nodes = Arrays.copyOf(nodes, nodes.length * 2);
            }
            int at = count++ * TreeSitterApi.WORDS_PER_NODE;
            nodes[at] = TreeSitterApi.nodeSymbol(node) | TreeSitterApi.cursorCurrentFieldId(cursor) << 16;
            nodes[at + 1] = TreeSitterApi.nodeStartByte(node);
            nodes[at + 2] = TreeSitterApi.nodeEndByte(node);
            int flags = 0;
            if (mayHaveErrors) {
                flags = (TreeSitterApi.nodeIsExtra(node) ? TreeSitterApi.FLAG_EXTRA : 0)
                        | (TreeSitterApi.nodeIsMissing(node) ? TreeSitterApi.FLAG_MISSING : 0)
                        | ((everyFlag ? TreeSitterApi.nodeHasError(node) : at == 0) ? TreeSitterApi.FLAG_HAS_ERROR : 0);
            }
            int children = 0;
            if (TreeSitterApi.cursorGotoFirstChild(cursor)) {
                do {
                    node();
                    children++;
                } while (TreeSitterApi.cursorGotoNextSibling(cursor));
                TreeSitterApi.cursorGotoParent(cursor);
            }
            nodes[at + 3] = flags | children << TreeSitterApi.CHILD_COUNT_SHIFT;
        }
    }

    /**
     * Reads the preorder records into a {@link NodeTable}, dropping punctuation and comments: the rows of the
     * nodes it keeps, in preorder, from which the tree makes a node when it is first read.
     */
    private static final class Reader {
        private static final Set<String> CLOSING_BRACKETS = Set.of(")", "]", "}");
        private final Grammar grammar;
        private final int[] nodes;
        private final String source;
        private final Utf8Offsets offsets;
        /** Whether the root has errors: only then do the missing and extra flags matter. */
        private final boolean mayHaveErrors;
        /** The record read next. */
        private int next;
        private int errors;
        private int missing;
        private final NodeTable table;
        /** Each row's kind, as the grammar numbers kind names. */
        private final int[] kindIds;
        /** The rows written so far: a node takes its row before its children are read. */
        private int listed;

        Reader(Grammar grammar, TreeSitterApi.Records records, String source, Utf8Offsets offsets) {
            this.grammar = grammar;
            this.nodes = records.words();
            this.source = source;
            this.offsets = offsets;
            this.mayHaveErrors = (nodes[3] & TreeSitterApi.FLAG_HAS_ERROR) != 0;
            this.table = new NodeTable(source, grammar.kinds(), grammar.named(), grammar.fields(), ERROR_SYMBOL, records.count());
            this.kindIds = new int[records.count()];
        }

        SyntaxTree tree(Language language) {
            row(-1);
            List<SyntaxNode> preorder = table.preorder(listed);
            // Sorted by the grammar's kind numbers, where hashing every node's kind name cost more than reading the tree.
            KindIndex kinds = KindIndex.sort(grammar.kindNumbers(), grammar.kindNumbers().size(), kindIds, listed, table::rows);
            return new SyntaxTree(language, source, preorder.get(0), errors, missing, preorder, kinds);
        }

        /** Reads the next record and its subtree into rows. */
        private void row(int parent) {
            int at = next++ * TreeSitterApi.WORDS_PER_NODE;
            int row = listed++;
            int symbol = nodes[at] & 0xFFFF;
            kindIds[row] = grammar.kindId(symbol);
            int flags = nodes[at + 3];
            boolean error = symbol == ERROR_SYMBOL || mayHaveErrors && (flags & TreeSitterApi.FLAG_MISSING) != 0;
            if (error) {
                errors++;
            }
            table.add(row, symbol, nodes[at] >>> 16, error, offsets.charIndex(nodes[at + 1]), offsets.charIndex(nodes[at + 2]), parent);
            int childCount = flags >>> TreeSitterApi.CHILD_COUNT_SHIFT;
            for (int i = 0; i < childCount; i++) {
                int child = next * TreeSitterApi.WORDS_PER_NODE;
                int childSymbol = nodes[child] & 0xFFFF;
                int childFlags = nodes[child + 3];
                if (childSymbol != ERROR_SYMBOL && (isPunctuation(childSymbol) || isExtra(childSymbol, childFlags))) {
                    // A closing bracket the parser had to invent is dropped like any punctuation, but
                    // the tree must still say that the source was cut off. (An invented statement
                    // terminator is not counted: patterns are routinely written without one.)
                    if (mayHaveErrors && (childFlags & TreeSitterApi.FLAG_MISSING) != 0
                            && CLOSING_BRACKETS.contains(grammar.kinds()[childSymbol])) {
                        missing++;
                        errors++;
                    }
                    skip();
                    continue;
                }
                row(row);
            }
            table.close(row, listed);
        }

        /** Passes over the next record and its subtree. */
        private void skip() {
            for (int pending = 1; pending > 0; pending--) {
                pending += nodes[next++ * TreeSitterApi.WORDS_PER_NODE + 3] >>> TreeSitterApi.CHILD_COUNT_SHIFT;
            }
        }

        /** Comments are the only extras these grammars have; another extra is dropped only in a tree with errors. */
        private boolean isExtra(int symbol, int flags) {
            return grammar.comment()[symbol] || mayHaveErrors && (flags & TreeSitterApi.FLAG_EXTRA) != 0;
        }

        private boolean isPunctuation(int symbol) {
            return symbol < grammar.punctuation().length && grammar.punctuation()[symbol];
        }
    }
}

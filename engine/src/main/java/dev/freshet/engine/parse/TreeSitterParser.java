package dev.freshet.engine.parse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Parses with tree-sitter's C library, called through the Foreign Function &amp; Memory API, and
 * copies the tree into {@link SyntaxNode}s in one cursor walk, dropping comments and list
 * punctuation, which no pattern distinguishes. Node kinds and field names come from per-grammar
 * tables read once. A language's grammar is found by the name its {@link Language} entry holds.
 * Native parsers are not thread-safe, so each parse borrows one from a pool.
 */
public final class TreeSitterParser implements SourceParser {
    /** Tokens that only separate or group list items; the node kinds around them carry the meaning. */
    private static final Set<String> PUNCTUATION = Set.of(",", ";", "(", ")", "{", "}", "[", "]");
    /** tree-sitter's symbol for ERROR nodes. */
    private static final int ERROR_SYMBOL = 0xFFFF;
    /** Grammars are constant data of the loaded libraries, the same for every parser. */
    private static final Map<Language, Grammar> GRAMMARS = new ConcurrentHashMap<>();
    private static final Cleaner CLEANER = Cleaner.create();

    private final Map<Language, Queue<MemorySegment>> idleParsers = new ConcurrentHashMap<>();

    public TreeSitterParser() {
        Map<Language, Queue<MemorySegment>> pools = idleParsers;
        // The native parsers go when this object does; the action must not refer to it.
        CLEANER.register(this, () -> pools.values().forEach(pool -> pool.forEach(TreeSitterApi::parserDelete)));
    }

    /** A grammar with the names of its symbols and fields. */
    private record Grammar(MemorySegment language, String[] kinds, boolean[] named, boolean[] punctuation, boolean[] comment,
                           String[] fields) {
        static Grammar of(Language language) {
            if (language.grammar() == null) {
                throw new IllegalArgumentException(language + " has no grammar");
            }
            MemorySegment grammar = TreeSitterApi.grammar(language.grammar());
            int symbols = TreeSitterApi.languageSymbolCount(grammar);
            String[] kinds = new String[symbols];
            boolean[] named = new boolean[symbols];
            boolean[] punctuation = new boolean[symbols];
            boolean[] comment = new boolean[symbols];
            for (int symbol = 0; symbol < symbols; symbol++) {
                kinds[symbol] = TreeSitterApi.languageSymbolName(grammar, symbol);
                named[symbol] = TreeSitterApi.languageSymbolType(grammar, symbol) == TreeSitterApi.SYMBOL_TYPE_REGULAR;
                punctuation[symbol] = !named[symbol] && PUNCTUATION.contains(kinds[symbol]);
                comment[symbol] = named[symbol] && kinds[symbol].endsWith("comment");
            }
            String[] fields = new String[TreeSitterApi.languageFieldCount(grammar) + 1];
            for (int field = 1; field < fields.length; field++) {
                fields[field] = TreeSitterApi.languageFieldName(grammar, field);
            }
            return new Grammar(grammar, kinds, named, punctuation, comment, fields);
        }
    }

    /** Which build of tree-sitter's C library parses: {@code tree-sitter-runtime} (optimised) or {@code tree-sitter}. */
    public static String runtimeLibrary() {
        return TreeSitterApi.RUNTIME;
    }

    @Override
    public SyntaxTree parse(Language language, String source) {
        if (!language.parsed()) {
            return SyntaxTree.text(language, source);
        }
        if (language == Language.YAML || language == Language.JSON) {
            // Data, not code: Semgrep matches these as documents of mappings, sequences and scalars.
            return DataDocuments.parse(language, source);
        }
        if (language == Language.DOCKERFILE) {
            return DockerfileShell.withBash(parseWithGrammar(language, source, source), this);
        }
        SyntaxTree tree = parseWithGrammar(language, source, source);
        if (language == Language.SCALA) {
            String repaired = ScalaLambdaBindings.repaired(tree);
            return repaired == null ? tree : parseWithGrammar(language, repaired, source);
        }
        return tree;
    }

    /** Parses {@code text}, which has the same length and offsets as {@code source}; the nodes read {@code source}. */
    private SyntaxTree parseWithGrammar(Language language, String text, String source) {
        Grammar grammar = GRAMMARS.computeIfAbsent(language, Grammar::of);
        Queue<MemorySegment> pool = idleParsers.computeIfAbsent(language, l -> new ConcurrentLinkedQueue<>());
        MemorySegment parser = pool.poll();
        if (parser == null) {
            parser = TreeSitterApi.parserNew();
            if (!TreeSitterApi.parserSetLanguage(parser, grammar.language())) {
                TreeSitterApi.parserDelete(parser);
                throw new IllegalStateException("tree-sitter refused the " + language.id() + " grammar (ABI version mismatch)");
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment input = arena.allocate(utf8.length + 1L);
            MemorySegment.copy(utf8, 0, input, ValueLayout.JAVA_BYTE, 0, utf8.length);
            MemorySegment tree = TreeSitterApi.parserParseString(parser, input, utf8.length);
            if (tree.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("tree-sitter returned no tree for a " + language.id() + " file");
            }
            try {
                return copy(language, grammar, source, Utf8Offsets.of(source, utf8.length), tree, arena);
            } finally {
                TreeSitterApi.treeDelete(tree);
            }
        } finally {
            pool.add(parser);
        }
    }

    private static SyntaxTree copy(Language language, Grammar grammar, String source, Utf8Offsets offsets, MemorySegment tree,
                                   Arena arena) {
        // Every node the walk reads is returned into this one buffer: no allocation per node.
        MemorySegment node = arena.allocate(TreeSitterApi.NODE);
        SegmentAllocator intoNode = SegmentAllocator.prefixAllocator(node);
        TreeSitterApi.treeRootNode(intoNode, tree);
        MemorySegment cursor = TreeSitterApi.cursorNew(arena, node);
        try {
            Copy copy = new Copy(grammar, cursor, node, intoNode, source, offsets, TreeSitterApi.nodeHasError(node));
            SyntaxNode root = copy.node(TreeSitterApi.nodeSymbol(node));
            return new SyntaxTree(language, source, root, copy.errors, copy.missing);
        } finally {
            TreeSitterApi.cursorDelete(cursor);
        }
    }

    /** One walk of the native tree with a cursor. */
    private static final class Copy {
        private final Grammar grammar;
        private final MemorySegment cursor;
        /** The node under the cursor, refreshed by {@link #read()}. */
        private final MemorySegment node;
        private final SegmentAllocator intoNode;
        private final String source;
        private final Utf8Offsets offsets;
        private final boolean mayHaveErrors;
        private int errors;
        private int missing;
        private static final Set<String> CLOSING_BRACKETS = Set.of(")", "]", "}");

        Copy(Grammar grammar, MemorySegment cursor, MemorySegment node, SegmentAllocator intoNode, String source,
             Utf8Offsets offsets, boolean mayHaveErrors) {
            this.grammar = grammar;
            this.cursor = cursor;
            this.node = node;
            this.intoNode = intoNode;
            this.source = source;
            this.offsets = offsets;
            this.mayHaveErrors = mayHaveErrors;
        }

        private void read() {
            TreeSitterApi.cursorCurrentNode(intoNode, cursor);
        }

        /** Copies the node under the cursor (already read into {@link #node}), whose symbol the caller read. */
        SyntaxNode node(int symbol) {
            int fieldId = TreeSitterApi.cursorCurrentFieldId(cursor);
            int start = TreeSitterApi.nodeStartByte(node);
            int end = TreeSitterApi.nodeEndByte(node);
            boolean error = symbol == ERROR_SYMBOL || mayHaveErrors && TreeSitterApi.nodeIsMissing(node);
            List<SyntaxNode> children = List.of();
            if (TreeSitterApi.cursorGotoFirstChild(cursor)) {
                List<SyntaxNode> kept = new ArrayList<>();
                do {
                    read();
                    int childSymbol = TreeSitterApi.nodeSymbol(node);
                    boolean errorChild = childSymbol == ERROR_SYMBOL;
                    if (!errorChild && (isPunctuation(childSymbol) || isExtra(childSymbol))) {
                        // A closing bracket the parser had to invent is dropped like any punctuation, but
                        // the tree must still say that the source was cut off. (An invented statement
                        // terminator is not counted: patterns are routinely written without one.)
                        if (mayHaveErrors && CLOSING_BRACKETS.contains(grammar.kinds()[childSymbol]) && TreeSitterApi.nodeIsMissing(node)) {
                            missing++;
                            errors++;
                        }
                        continue;
                    }
                    kept.add(node(childSymbol));
                } while (TreeSitterApi.cursorGotoNextSibling(cursor));
                TreeSitterApi.cursorGotoParent(cursor);
                children = kept;
            }
            if (error) {
                errors++;
            }
            String kind = symbol == ERROR_SYMBOL ? "ERROR" : grammar.kinds()[symbol];
            boolean named = symbol == ERROR_SYMBOL || grammar.named()[symbol];
            String field = fieldId > 0 && fieldId < grammar.fields().length ? grammar.fields()[fieldId] : null;
            return new SyntaxNode(kind, field, named, error, offsets.charIndex(start), offsets.charIndex(end), children, source);
        }

        /** Comments are the only extras these grammars have; asking the node costs a native call. */
        private boolean isExtra(int symbol) {
            return grammar.comment()[symbol] || mayHaveErrors && TreeSitterApi.nodeIsExtra(node);
        }

        private boolean isPunctuation(int symbol) {
            return symbol < grammar.punctuation().length && grammar.punctuation()[symbol];
        }
    }
}

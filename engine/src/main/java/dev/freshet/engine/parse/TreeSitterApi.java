package dev.freshet.engine.parse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The native calls the parser makes: the engine's own C functions through JNI ({@link Engine}), and the
 * part of tree-sitter's C API ({@code tree_sitter/api.h}) it uses without them through the Foreign
 * Function &amp; Memory API. Of the latter, calls made once per node are "critical": they are short and
 * never call back, so they skip the thread-state switch.
 */
final class TreeSitterApi {
    /** {@code TSNode}: {@code uint32_t context[4]; const void *id; const TSTree *tree;} */
    static final StructLayout NODE = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, JAVA_INT).withName("context"), ADDRESS.withName("id"), ADDRESS.withName("tree"));
    /** {@code TSTreeCursor}: {@code const void *tree; const void *id; uint32_t context[3];} (padded to 8). */
    static final StructLayout CURSOR = MemoryLayout.structLayout(
            ADDRESS.withName("tree"), ADDRESS.withName("id"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("context"),
            MemoryLayout.paddingLayout(4));
    /** {@code TSSymbolTypeRegular}: a named node. */
    static final int SYMBOL_TYPE_REGULAR = 0;

    /** Libraries the engine's build compiled (engine/grammars) and those of the bonede artifacts. */
    private static final String BUILT_PREFIX = "freshet-";
    private static final String ARTIFACT_PREFIX = "tree-sitter-";
    private static final Linker LINKER = Linker.nativeLinker();
    /**
     * The optimised build of the C library the engine's build makes (see {@code grammars.lock}) when it
     * could, else the Maven artifact's, which is compiled without optimisation and parses about four
     * times slower; the functions used here are the same in both.
     */
    static final String RUNTIME = NativeLibraries.present("freshet-runtime") ? "freshet-runtime" : "tree-sitter";
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    /** Words per node in {@link #treeCopy}'s buffer, and the flags in the last of them. */
    static final int WORDS_PER_NODE = 4;
    static final int FLAG_MISSING = 1;
    static final int FLAG_EXTRA = 2;
    static final int FLAG_HAS_ERROR = 4;
    static final int CHILD_COUNT_SHIFT = 3;

    /**
     * The engine's own functions ({@code src/main/c/freshet_tree.c}), compiled into its optimised runtime
     * only, and called through JNI rather than the FFM API: JNI binds a native method to its C function by
     * name when it is first called, while the FFM API generates a class for each function signature as
     * its handle is made, which cost every run about 40 ms of CPU before the first parse. Each is called
     * once per file or grammar; what they do is said in the C source.
     */
    private static final class Engine {
        /** Whether the runtime is the engine's build, with these functions. */
        static final boolean PRESENT = load();

        private Engine() {
        }

        private static boolean load() {
            if (!RUNTIME.equals(BUILT_PREFIX + "runtime")) {
                return false;
            }
            try {
                System.load(NativeLibraries.path(RUNTIME).toString());
                return present();
            } catch (UnsatisfiedLinkError e) {
                return false; // a runtime built without them: tree-sitter's own calls serve
            }
        }

        private static native boolean present();

        static native long language(long entry);

        static native int symbolCount(long language);

        static native int fieldCount(long language);

        static native int languageNames(long language, byte[] out, int capacity);

        static native long parse(long language, long text, int length);

        static native long regionTree(long region);

        static native void parseFree(long region);

        static native int treeCopy(long tree, int[] out, int capacity);

        static native long readWords(byte[] text, int length, int[] slots, int mask, int[] words, byte[] chars, byte[] found,
                                     int[] lineStarts, int lineCapacity);
    }

    /** tree-sitter's name of each symbol and field, linked only without the engine's table. */
    private static final class Names {
        private static final MethodHandle LANGUAGE_SYMBOL_COUNT = function("ts_language_symbol_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        private static final MethodHandle LANGUAGE_FIELD_COUNT = function("ts_language_field_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        private static final MethodHandle LANGUAGE_SYMBOL_NAME = function("ts_language_symbol_name",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
        private static final MethodHandle LANGUAGE_SYMBOL_TYPE = function("ts_language_symbol_type",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        private static final MethodHandle LANGUAGE_FIELD_NAME = function("ts_language_field_name_for_id",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_SHORT));
    }

    /** tree-sitter's own parse, linked only without the engine's: each downcall handle spins a class. */
    private static final class Plain {
        /** Any grammar's {@code tree_sitter_<grammar>()}, its address the first argument: one handle for all. */
        private static final MethodHandle GRAMMAR_ENTRY = LINKER.downcallHandle(FunctionDescriptor.of(ADDRESS));
        private static final MethodHandle PARSER_NEW = function("ts_parser_new", FunctionDescriptor.of(ADDRESS));
        private static final MethodHandle PARSER_DELETE = function("ts_parser_delete", FunctionDescriptor.ofVoid(ADDRESS));
        private static final MethodHandle PARSER_SET_LANGUAGE = function("ts_parser_set_language",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS));
        private static final MethodHandle PARSER_PARSE_STRING = function("ts_parser_parse_string",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
        private static final MethodHandle TREE_DELETE = function("ts_tree_delete", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /**
     * The calls of the node-by-node walk, linked only when a tree is walked from Java (with the Maven
     * artifact's runtime, or in tests): each downcall handle spins a class when it is made.
     */
    private static final class Walk {
        private static final MethodHandle TREE_ROOT_NODE = function("ts_tree_root_node", FunctionDescriptor.of(NODE, ADDRESS));
        private static final MethodHandle CURSOR_NEW = function("ts_tree_cursor_new", FunctionDescriptor.of(CURSOR, NODE));
        private static final MethodHandle CURSOR_DELETE = function("ts_tree_cursor_delete", FunctionDescriptor.ofVoid(ADDRESS));
        private static final MethodHandle CURSOR_CURRENT_NODE = critical("ts_tree_cursor_current_node", FunctionDescriptor.of(NODE, ADDRESS));
        private static final MethodHandle CURSOR_CURRENT_FIELD_ID = critical("ts_tree_cursor_current_field_id",
                FunctionDescriptor.of(JAVA_SHORT, ADDRESS));
        private static final MethodHandle CURSOR_GOTO_FIRST_CHILD = critical("ts_tree_cursor_goto_first_child",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        private static final MethodHandle CURSOR_GOTO_NEXT_SIBLING = critical("ts_tree_cursor_goto_next_sibling",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        private static final MethodHandle CURSOR_GOTO_PARENT = critical("ts_tree_cursor_goto_parent", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        private static final MethodHandle NODE_SYMBOL = critical("ts_node_symbol", FunctionDescriptor.of(JAVA_SHORT, NODE));
        private static final MethodHandle NODE_END_BYTE = critical("ts_node_end_byte", FunctionDescriptor.of(JAVA_INT, NODE));
        private static final MethodHandle NODE_IS_MISSING = critical("ts_node_is_missing", FunctionDescriptor.of(JAVA_BOOLEAN, NODE));
        private static final MethodHandle NODE_IS_EXTRA = critical("ts_node_is_extra", FunctionDescriptor.of(JAVA_BOOLEAN, NODE));
        private static final MethodHandle NODE_HAS_ERROR = critical("ts_node_has_error", FunctionDescriptor.of(JAVA_BOOLEAN, NODE));
    }

    private TreeSitterApi() {
    }

    /** The runtime's exported functions, looked up only by the calls linked through the FFM API. */
    private static final class Core {
        private static final SymbolLookup LOOKUP = NativeLibraries.open(RUNTIME);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = Core.LOOKUP.find(name)
                .orElseThrow(() -> new IllegalStateException("tree-sitter library lacks " + name));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return function(name, descriptor, CRITICAL);
    }

    /**
     * Whether the loaded runtime is the engine's build, with its own functions: the region parse, the
     * one-call tree copy, the table of names and the word pass.
     */
    static boolean hasEngineFunctions() {
        return Engine.PRESENT;
    }

    /** {@code freshet_read_words}, which says what its arguments are; only when {@link #hasEngineFunctions()}. */
    static long readWords(byte[] text, int[] slots, int[] words, byte[] chars, byte[] found, int[] lineStarts) {
        return Engine.readWords(text, text.length, slots, slots.length - 1, words, chars, found, lineStarts, lineStarts.length);
    }

    /**
     * A tree's records, {@link #WORDS_PER_NODE} words a node in preorder: the first {@code count} nodes'
     * worth of {@code words}, which may be a buffer that the thread's next copy fills again.
     */
    record Records(int[] words, int count) {
        /** The records in an array of their own. */
        int[] exact() {
            return Arrays.copyOf(words, count * WORDS_PER_NODE);
        }
    }

    /**
     * The most a thread keeps of a parse's buffers (the text's native copy, the tree's records) for its
     * next file, so that a service's many threads hold little between files: a larger file gets its own.
     */
    static final long KEPT_BYTES = 1 << 20;

    /**
     * The size of a new buffer of {@code unit}-byte elements for {@code needed} of them, after one of
     * {@code current}: doubled, up to what a thread keeps ({@link #KEPT_BYTES}); exactly {@code needed} beyond.
     */
    static long keptSize(long needed, long current, int unit) {
        long kept = KEPT_BYTES / unit;
        return needed <= kept ? Math.min(kept, Math.max(needed, 2 * current)) : needed;
    }

    /**
     * Each thread's buffer for {@link #treeCopy}, kept for its next file: one per file was allocated, and
     * zeroed by the JVM, only to be written over at once (16 bytes a node: 70 MB over SQLAlchemy's sources).
     */
    private static final ThreadLocal<int[]> RECORDS = ThreadLocal.withInitial(() -> new int[0]);

    /**
     * The whole tree in one native call, as {@code freshet_tree.c} describes, into the thread's buffer:
     * valid until the thread's next copy. Only when {@link #hasEngineFunctions()}.
     */
    static Records treeCopy(MemorySegment tree) {
        int[] buffer = RECORDS.get();
        int capacity = buffer.length / WORDS_PER_NODE;
        int count;
        // A tree larger than the buffer answers its size without being walked: the copy is made again to fit.
        while ((count = Engine.treeCopy(tree.address(), buffer, capacity)) > capacity) {
            buffer = new int[(int) keptSize(Math.multiplyExact(count, WORDS_PER_NODE), buffer.length, Integer.BYTES)];
            if ((long) buffer.length * Integer.BYTES <= KEPT_BYTES) {
                RECORDS.set(buffer);
            }
            capacity = buffer.length / WORDS_PER_NODE;
        }
        return new Records(buffer, count);
    }

    /**
     * The library holding a grammar: the engine's build of it ({@code freshet-<grammar>}: optimised, or the
     * only one there is) or the bonede artifact's ({@code tree-sitter-<grammar>}), the preferred one if present.
     */
    static String grammarLibrary(String grammar, boolean preferBuilt) {
        String built = BUILT_PREFIX + grammar;
        String artifact = ARTIFACT_PREFIX + grammar;
        String preferred = preferBuilt ? built : artifact;
        return NativeLibraries.present(preferred) ? preferred : preferBuilt ? artifact : built;
    }

    /**
     * The {@code TSLanguage*} of a grammar in {@code library}: function {@code tree_sitter_<grammar>} with
     * dashes as underscores (e.g. {@code c-sharp}: {@code tree_sitter_c_sharp}).
     */
    static MemorySegment grammar(String library, String grammar) {
        return grammar(library, grammar, Engine.PRESENT);
    }

    /** The same, called through the engine's function or through the FFM API (tests compare the two). */
    static MemorySegment grammar(String library, String grammar, boolean throughEngine) {
        String function = "tree_sitter_" + grammar.replace('-', '_');
        MemorySegment address = NativeLibraries.open(library).find(function)
                .orElseThrow(() -> new IllegalStateException("grammar library " + library + " lacks " + function));
        if (throughEngine) {
            return MemorySegment.ofAddress(Engine.language(address.address()));
        }
        try {
            return (MemorySegment) Plain.GRAMMAR_ENTRY.invokeExact(address);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** A parsed tree ({@code NULL} when tree-sitter refused the grammar), whose memory {@link #close} frees. */
    sealed interface Parsed extends AutoCloseable {
        MemorySegment tree();

        @Override
        void close();
    }

    /** Parsed in the engine's region, dropped whole with the tree. */
    private record InRegion(MemorySegment tree, long region) implements Parsed {
        @Override
        public void close() {
            Engine.parseFree(region);
        }
    }

    /** Parsed by tree-sitter's own calls: the tree and the parser are deleted one after the other. */
    private record WithParser(MemorySegment tree, MemorySegment parser) implements Parsed {
        @Override
        public void close() {
            try {
                if (!tree.equals(MemorySegment.NULL)) {
                    Plain.TREE_DELETE.invokeExact(tree);
                }
                Plain.PARSER_DELETE.invokeExact(parser);
            } catch (Throwable e) {
                throw rethrow(e);
            }
        }
    }

    /**
     * Parses {@code length} bytes of UTF-8 at {@code utf8} with a parser of its own: in the engine's region
     * ({@code inRegion}, when {@link #hasEngineFunctions()}) or with tree-sitter's own calls.
     */
    static Parsed parse(MemorySegment language, MemorySegment utf8, int length, boolean inRegion) {
        if (inRegion) {
            long region = Engine.parse(language.address(), utf8.address(), length);
            return new InRegion(MemorySegment.ofAddress(Engine.regionTree(region)), region);
        }
        try {
            MemorySegment parser = (MemorySegment) Plain.PARSER_NEW.invokeExact();
            MemorySegment tree = (boolean) Plain.PARSER_SET_LANGUAGE.invokeExact(parser, language)
                    ? (MemorySegment) Plain.PARSER_PARSE_STRING.invokeExact(parser, MemorySegment.NULL, utf8, length)
                    : MemorySegment.NULL;
            return new WithParser(tree, parser);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    // Every method below forwards to one C function of the same name; invokeExact needs the exact casts.

    static MemorySegment treeRootNode(SegmentAllocator into, MemorySegment tree) {
        try {
            return (MemorySegment) Walk.TREE_ROOT_NODE.invokeExact(into, tree);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static MemorySegment cursorNew(SegmentAllocator into, MemorySegment node) {
        try {
            return (MemorySegment) Walk.CURSOR_NEW.invokeExact(into, node);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static void cursorDelete(MemorySegment cursor) {
        try {
            Walk.CURSOR_DELETE.invokeExact(cursor);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static MemorySegment cursorCurrentNode(SegmentAllocator into, MemorySegment cursor) {
        try {
            return (MemorySegment) Walk.CURSOR_CURRENT_NODE.invokeExact(into, cursor);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int cursorCurrentFieldId(MemorySegment cursor) {
        try {
            return Short.toUnsignedInt((short) Walk.CURSOR_CURRENT_FIELD_ID.invokeExact(cursor));
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean cursorGotoFirstChild(MemorySegment cursor) {
        try {
            return (boolean) Walk.CURSOR_GOTO_FIRST_CHILD.invokeExact(cursor);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean cursorGotoNextSibling(MemorySegment cursor) {
        try {
            return (boolean) Walk.CURSOR_GOTO_NEXT_SIBLING.invokeExact(cursor);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean cursorGotoParent(MemorySegment cursor) {
        try {
            return (boolean) Walk.CURSOR_GOTO_PARENT.invokeExact(cursor);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int nodeSymbol(MemorySegment node) {
        try {
            return Short.toUnsignedInt((short) Walk.NODE_SYMBOL.invokeExact(node));
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** tree-sitter keeps a node's start byte in the first word of its context, so reading it needs no call. */
    static int nodeStartByte(MemorySegment node) {
        return node.get(JAVA_INT, 0);
    }

    static int nodeEndByte(MemorySegment node) {
        try {
            return (int) Walk.NODE_END_BYTE.invokeExact(node);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean nodeIsMissing(MemorySegment node) {
        try {
            return (boolean) Walk.NODE_IS_MISSING.invokeExact(node);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean nodeIsExtra(MemorySegment node) {
        try {
            return (boolean) Walk.NODE_IS_EXTRA.invokeExact(node);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static boolean nodeHasError(MemorySegment node) {
        try {
            return (boolean) Walk.NODE_HAS_ERROR.invokeExact(node);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /**
     * A grammar's names: each symbol's kind name and whether it is named ({@code TSSymbolTypeRegular}),
     * and each field's name by id (index 0, no field, is null).
     */
    record LanguageNames(String[] symbols, boolean[] named, String[] fields) {
    }

    static LanguageNames languageNames(MemorySegment language) {
        return languageNames(language, Engine.PRESENT, 16 * 1024);
    }

    /**
     * The same, from the engine's table in one call ({@code fromTable}, into a buffer of {@code firstCapacity}
     * bytes, grown when the table is larger) or from two of tree-sitter's calls per symbol.
     */
    static LanguageNames languageNames(MemorySegment language, boolean fromTable, int firstCapacity) {
        try {
            int symbolCount = fromTable ? Engine.symbolCount(language.address()) : (int) Names.LANGUAGE_SYMBOL_COUNT.invokeExact(language);
            int fieldCount = fromTable ? Engine.fieldCount(language.address()) : (int) Names.LANGUAGE_FIELD_COUNT.invokeExact(language);
            String[] symbols = new String[symbolCount];
            boolean[] named = new boolean[symbolCount];
            String[] fields = new String[fieldCount + 1];
            if (!fromTable) {
                for (int symbol = 0; symbol < symbolCount; symbol++) {
                    symbols[symbol] = string((MemorySegment) Names.LANGUAGE_SYMBOL_NAME.invokeExact(language, (short) symbol));
                    named[symbol] = (int) Names.LANGUAGE_SYMBOL_TYPE.invokeExact(language, (short) symbol) == SYMBOL_TYPE_REGULAR;
                }
                for (int field = 1; field <= fieldCount; field++) {
                    fields[field] = string((MemorySegment) Names.LANGUAGE_FIELD_NAME.invokeExact(language, (short) field));
                }
                return new LanguageNames(symbols, named, fields);
            }
            byte[] table = new byte[firstCapacity];
            int size;
            while ((size = Engine.languageNames(language.address(), table, table.length)) > table.length) {
                table = new byte[size];
            }
            int at = 0;
            for (int symbol = 0; symbol < symbolCount; symbol++) {
                named[symbol] = table[at++] == SYMBOL_TYPE_REGULAR;
                int end = nul(table, at);
                symbols[symbol] = new String(table, at, end - at, StandardCharsets.UTF_8);
                at = end + 1;
            }
            for (int field = 1; field <= fieldCount; field++) {
                int end = nul(table, at);
                fields[field] = new String(table, at, end - at, StandardCharsets.UTF_8);
                at = end + 1;
            }
            return new LanguageNames(symbols, named, fields);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static int nul(byte[] table, int from) {
        int at = from;
        while (table[at] != 0) {
            at++;
        }
        return at;
    }

    /** A NUL-terminated string tree-sitter owns (names live as long as the grammar), or null. */
    private static String string(MemorySegment chars) {
        return chars.equals(MemorySegment.NULL) ? null : chars.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** The C functions throw nothing; a Throwable here is the JVM's (e.g. OutOfMemoryError) or a binding bug. */
    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("tree-sitter call failed", e);
    }
}

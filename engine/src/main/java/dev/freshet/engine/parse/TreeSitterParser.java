package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSSymbolType;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.treesitter.TreeSitterBash;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterCSharp;
import org.treesitter.TreeSitterCpp;
import org.treesitter.TreeSitterDockerfile;
import org.treesitter.TreeSitterElixir;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterHtml;
import org.treesitter.TreeSitterJson;
import org.treesitter.TreeSitterKotlin;
import org.treesitter.TreeSitterOcaml;
import org.treesitter.TreeSitterPhp;
import org.treesitter.TreeSitterRuby;
import org.treesitter.TreeSitterRust;
import org.treesitter.TreeSitterScala;
import org.treesitter.TreeSitterSwift;
import org.treesitter.TreeSitterYaml;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterTsx;
import org.treesitter.TreeSitterTypescript;

/**
 * Parses with tree-sitter and copies the tree into {@link SyntaxNode}s, dropping comments and
 * list punctuation, which no pattern distinguishes. Every call into the native library costs, so
 * node kinds and field names come from per-grammar tables, not from a call per node. Native
 * parsers are not thread-safe, so each thread keeps its own.
 */
public final class TreeSitterParser implements SourceParser {
    /** Tokens that only separate or group list items; the node kinds around them carry the meaning. */
    private static final Set<String> PUNCTUATION = Set.of(",", ";", "(", ")", "{", "}", "[", "]");
    /** tree-sitter's symbol for ERROR nodes. */
    private static final int ERROR_SYMBOL = 0xFFFF;

    private final ThreadLocal<Map<Language, Grammar>> grammars = ThreadLocal.withInitial(() -> new EnumMap<>(Language.class));

    /** A native parser with the names of its grammar's symbols and fields. */
    private record Grammar(TSParser parser, String[] kinds, boolean[] named, boolean[] punctuation, boolean[] comment,
                           String[] fields) {
        static Grammar of(Language language) {
            TSLanguage grammar = switch (language) {
                case PYTHON -> new TreeSitterPython();
                case JAVASCRIPT -> new TreeSitterJavascript();
                case TYPESCRIPT -> new TreeSitterTypescript();
                case TSX -> new TreeSitterTsx();
                case JAVA -> new TreeSitterJava();
                case GO -> new TreeSitterGo();
                case RUBY -> new TreeSitterRuby();
                case PHP -> new TreeSitterPhp();
                case CSHARP -> new TreeSitterCSharp();
                case OCAML -> new TreeSitterOcaml();
                case DOCKERFILE -> new TreeSitterDockerfile();
                case SCALA -> new TreeSitterScala();
                case KOTLIN -> new TreeSitterKotlin();
                case C -> new TreeSitterC();
                case CPP -> new TreeSitterCpp();
                case RUST -> new TreeSitterRust();
                case BASH -> new TreeSitterBash();
                case JSON -> new TreeSitterJson();
                case ELIXIR -> new TreeSitterElixir();
                case SWIFT -> new TreeSitterSwift();
                case HTML -> new TreeSitterHtml();
                case YAML -> new TreeSitterYaml();
                case GENERIC, REGEX -> throw new IllegalArgumentException(language + " has no grammar");
            };
            TSParser parser = new TSParser();
            parser.setLanguage(grammar);
            int symbols = grammar.symbolCount();
            String[] kinds = new String[symbols];
            boolean[] named = new boolean[symbols];
            boolean[] punctuation = new boolean[symbols];
            boolean[] comment = new boolean[symbols];
            for (int symbol = 0; symbol < symbols; symbol++) {
                kinds[symbol] = grammar.symbolName(symbol);
                named[symbol] = grammar.symbolType(symbol) == TSSymbolType.TSSymbolTypeRegular;
                punctuation[symbol] = !named[symbol] && PUNCTUATION.contains(kinds[symbol]);
                comment[symbol] = named[symbol] && kinds[symbol].endsWith("comment");
            }
            String[] fields = new String[grammar.fieldCount() + 1];
            for (int field = 1; field < fields.length; field++) {
                fields[field] = grammar.fieldNameForId(field);
            }
            return new Grammar(parser, kinds, named, punctuation, comment, fields);
        }
    }

    @Override
    public SyntaxTree parse(Language language, String source) {
        if (!language.parsed()) {
            return SyntaxTree.text(language, source);
        }
        Grammar grammar = grammars.get().computeIfAbsent(language, Grammar::of);
        TSTree tree = grammar.parser().parseString(null, source);
        try (TSTreeCursor cursor = new TSTreeCursor(tree.getRootNode())) {
            TSNode rootNode = tree.getRootNode();
            Copy copy = new Copy(grammar, cursor, source, Utf8Offsets.of(source), rootNode.hasError());
            SyntaxNode root = copy.node(rootNode, Natives.symbol(rootNode));
            return new SyntaxTree(language, source, root, copy.errors);
        } finally {
            tree.close();
        }
    }

    /** One walk of the native tree with a cursor. */
    private static final class Copy {
        private final Grammar grammar;
        private final TSTreeCursor cursor;
        private final String source;
        private final Utf8Offsets offsets;
        private final boolean mayHaveErrors;
        private final long cursorPointer;
        private int errors;

        Copy(Grammar grammar, TSTreeCursor cursor, String source, Utf8Offsets offsets, boolean mayHaveErrors) {
            this.grammar = grammar;
            this.cursor = cursor;
            this.cursorPointer = Natives.pointer(cursor);
            this.source = source;
            this.offsets = offsets;
            this.mayHaveErrors = mayHaveErrors;
        }

        /** Copies the node under the cursor, whose symbol the caller already read. */
        SyntaxNode node(TSNode node, int symbol) {
            int fieldId = Natives.fieldId(cursorPointer);
            List<SyntaxNode> children = List.of();
            if (cursor.gotoFirstChild()) {
                List<SyntaxNode> kept = new ArrayList<>();
                do {
                    TSNode child = Natives.currentNode(cursorPointer);
                    int childSymbol = Natives.symbol(child);
                    boolean errorChild = childSymbol == ERROR_SYMBOL;
                    if (!errorChild && (isPunctuation(childSymbol) || isExtra(child, childSymbol))) {
                        continue;
                    }
                    kept.add(node(child, childSymbol));
                } while (cursor.gotoNextSibling());
                cursor.gotoParent();
                children = kept;
            }
            boolean error = symbol == ERROR_SYMBOL || mayHaveErrors && Natives.isMissing(node);
            if (error) {
                errors++;
            }
            String kind = symbol == ERROR_SYMBOL ? "ERROR" : grammar.kinds()[symbol];
            boolean named = symbol == ERROR_SYMBOL || grammar.named()[symbol];
            String field = fieldId > 0 && fieldId < grammar.fields().length ? grammar.fields()[fieldId] : null;
            return new SyntaxNode(kind, field, named, error, offsets.charIndex(Natives.startByte(node)),
                    offsets.charIndex(Natives.endByte(node)), children, source);
        }

        /** Comments are the only extras these grammars have; asking the node costs a native call. */
        private boolean isExtra(TSNode node, int symbol) {
            return grammar.comment()[symbol] || mayHaveErrors && Natives.isExtra(node);
        }

        private boolean isPunctuation(int symbol) {
            return symbol < grammar.punctuation().length && grammar.punctuation()[symbol];
        }
    }

    /**
     * Direct access to the binding's native functions. Its public node methods make a second
     * native call per query to check the node, and each call with a node costs about a
     * microsecond, which made copying trees ten times slower than parsing them. The natives are
     * protected static members of {@link TSParser}, reachable from a subclass; the cursor's
     * pointer and the node's start byte are private fields. Both belong to the pinned binding version and are covered by
     * the parser tests.
     */
    private static final class Natives extends TSParser {
        private static final VarHandle CURSOR_POINTER;
        /** tree-sitter keeps a node's start byte in the first word of its context; the binding mirrors it. */
        private static final VarHandle NODE_START_BYTE;

        static {
            try {
                CURSOR_POINTER = MethodHandles.privateLookupIn(TSTreeCursor.class, MethodHandles.lookup())
                        .findVarHandle(TSTreeCursor.class, "ptr", long.class);
                NODE_START_BYTE = MethodHandles.privateLookupIn(TSNode.class, MethodHandles.lookup())
                        .findVarHandle(TSNode.class, "context0", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private Natives() {
        }

        static long pointer(TSTreeCursor cursor) {
            return (long) CURSOR_POINTER.get(cursor);
        }

        static TSNode currentNode(long cursor) {
            return ts_tree_cursor_current_node(cursor);
        }

        static int fieldId(long cursor) {
            return ts_tree_cursor_current_field_id(cursor);
        }

        static int symbol(TSNode node) {
            return ts_node_symbol(node);
        }

        static int startByte(TSNode node) {
            return (int) NODE_START_BYTE.get(node);
        }

        static int endByte(TSNode node) {
            return ts_node_end_byte(node);
        }

        static boolean isMissing(TSNode node) {
            return ts_node_is_missing(node);
        }

        static boolean isExtra(TSNode node) {
            return ts_node_is_extra(node);
        }
    }
}

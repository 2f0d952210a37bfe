package dev.freshet.engine.parse;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSPoint;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;
import org.treesitter.TreeSitterGo;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterTsx;
import org.treesitter.TreeSitterTypescript;

/**
 * Parses with tree-sitter and copies the tree into {@link SyntaxNode}s, dropping comments and
 * list punctuation, which no pattern distinguishes. Native parsers are not thread-safe, so each
 * thread keeps its own.
 */
public final class TreeSitterParser implements SourceParser {
    /** Tokens that only separate or group list items; the node kinds around them carry the meaning. */
    private static final Set<String> PUNCTUATION = Set.of(",", ";", "(", ")", "{", "}", "[", "]");

    private final ThreadLocal<Map<Language, TSParser>> parsers = ThreadLocal.withInitial(() -> new EnumMap<>(Language.class));

    @Override
    public SyntaxTree parse(Language language, String source) {
        TSParser parser = parsers.get().computeIfAbsent(language, TreeSitterParser::newParser);
        TSTree tree = parser.parseString(null, source);
        try (TSTreeCursor cursor = new TSTreeCursor(tree.getRootNode())) {
            int[] errors = {0};
            SyntaxNode root = copy(cursor, source, Utf8Offsets.of(source), errors);
            return new SyntaxTree(language, source, root, errors[0]);
        } finally {
            tree.close();
        }
    }

    private static SyntaxNode copy(TSTreeCursor cursor, String source, Utf8Offsets offsets, int[] errors) {
        TSNode node = cursor.currentNode();
        String field = cursor.currentFieldName();
        List<SyntaxNode> children = List.of();
        if (cursor.gotoFirstChild()) {
            List<SyntaxNode> kept = new ArrayList<>();
            do {
                TSNode child = cursor.currentNode();
                if (child.isExtra() && !child.isError() || (!child.isNamed() && PUNCTUATION.contains(child.getType()))) {
                    continue;
                }
                kept.add(copy(cursor, source, offsets, errors));
            } while (cursor.gotoNextSibling());
            cursor.gotoParent();
            children = kept;
        }
        boolean error = node.isError() || node.isMissing();
        if (error) {
            errors[0]++;
        }
        int startByte = node.getStartByte();
        int endByte = node.getEndByte();
        TSPoint startPoint = node.getStartPoint();
        TSPoint endPoint = node.getEndPoint();
        int start = offsets.charIndex(startByte);
        int end = offsets.charIndex(endByte);
        return new SyntaxNode(node.getType(), field, node.isNamed(), error, start, end,
                startPoint.getRow() + 1, start - offsets.charIndex(startByte - startPoint.getColumn()) + 1,
                endPoint.getRow() + 1, end - offsets.charIndex(endByte - endPoint.getColumn()) + 1,
                children, source);
    }

    private static TSParser newParser(Language language) {
        TSLanguage grammar = switch (language) {
            case PYTHON -> new TreeSitterPython();
            case JAVASCRIPT -> new TreeSitterJavascript();
            case TYPESCRIPT -> new TreeSitterTypescript();
            case TSX -> new TreeSitterTsx();
            case JAVA -> new TreeSitterJava();
            case GO -> new TreeSitterGo();
        };
        TSParser parser = new TSParser();
        parser.setLanguage(grammar);
        return parser;
    }
}

package dev.freshet.updates.gate;

import dev.freshet.engine.parse.Language;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.parse.SyntaxTree;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers the trees of texts parsed before. The engine's test runner compiles each rule the gate
 * tests, and rules share many patterns, so pattern parsing, the bulk of
 * compiling, is mostly done once. Lives for one gate run; trees are immutable and shared.
 */
final class MemoizingParser implements SourceParser {
    private record Key(Language language, String source) {
    }

    private final SourceParser parser;
    private final ConcurrentMap<Key, SyntaxTree> trees = new ConcurrentHashMap<>();

    MemoizingParser(SourceParser parser) {
        this.parser = parser;
    }

    @Override
    public SyntaxTree parse(Language language, String source) {
        Key key = new Key(language, source);
        SyntaxTree tree = trees.get(key);
        if (tree == null) {
            // Parsed outside the map's lock: two threads may parse the same text once each, which is harmless.
            tree = parser.parse(language, source);
            SyntaxTree earlier = trees.putIfAbsent(key, tree);
            tree = earlier != null ? earlier : tree;
        }
        return tree;
    }
}

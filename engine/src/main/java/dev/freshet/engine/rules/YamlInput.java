package dev.freshet.engine.rules;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The one way rule YAML is read, by the scanner, the gate and releases alike. Its limits hold
 * while the text is read, before any tree is built: the size, how deep collections nest (the
 * composer recurses per level, so a deeply nested file would otherwise overflow the stack) and
 * how many aliases point at collections (alias bombs).
 */
public final class YamlInput {
    public static final int MAX_CHARS = 16 * 1024 * 1024;
    /** Real rules nest a few dozen levels at most (patterns inside patterns inside either). */
    public static final int MAX_DEPTH = 100;
    public static final int MAX_COLLECTION_ALIASES = 50;

    static final LoadSettings SETTINGS = LoadSettings.builder()
            .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
            .setAllowRecursiveKeys(false)
            .setAllowDuplicateKeys(false)
            .setCodePointLimit(MAX_CHARS)
            .build();

    private YamlInput() {
    }

    /** A document over one of the limits: hostile or generated input, refused as a whole. */
    public static final class LimitExceeded extends YamlEngineException {
        private final int line;

        LimitExceeded(int line, String message) {
            super(message);
            this.line = line;
        }

        /** 1-based, 0 when unknown. */
        public int line() {
            return line;
        }
    }

    /** The first document as SnakeYAML's node tree (with line marks), or empty for an empty text. */
    public static Optional<Node> compose(String text) {
        if (text.length() > MAX_CHARS) {
            throw new LimitExceeded(0, "the YAML text has " + text.length() + " characters, over the limit of " + MAX_CHARS);
        }
        return new Composer(SETTINGS, new DepthLimited(new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text)))).getSingleNode();
    }

    /** The first document as plain Java values (maps, lists, strings, numbers, booleans), or null. */
    public static Object load(String text) {
        Optional<Node> node = compose(text);
        return node.isEmpty() ? null : new StandardConstructor(SETTINGS).constructSingleDocument(node);
    }

    /** Counts open collections as the events go by and stops at the first one too deep. */
    private static final class DepthLimited implements Parser {
        private final Parser parser;
        private int depth;

        DepthLimited(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            switch (event.getEventId()) {
                case SequenceStart, MappingStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw new LimitExceeded(event.getStartMark().map(m -> m.getLine() + 1).orElse(0),
                                "collections nested deeper than " + MAX_DEPTH + " levels");
                    }
                }
                case SequenceEnd, MappingEnd -> depth--;
                default -> {
                }
            }
            return event;
        }
    }
}

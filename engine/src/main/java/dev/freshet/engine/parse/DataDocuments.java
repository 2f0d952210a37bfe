package dev.freshet.engine.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * YAML and JSON files as Semgrep reads them ({@code Yaml_to_generic}, {@code Json_to_generic}): a
 * tree of data, not of syntax. A mapping (block or flow, a JSON object) holds {@code pair}s of a key
 * and a value; a sequence (a JSON array) holds its items; a scalar is a {@code boolean}, {@code null}
 * or {@code number} when written plain as one (YAML 1.1's {@code yes}, {@code off}, {@code ~} too), a
 * quoted {@code string} (its quotes in its range), else a {@code plain_scalar}, a string all content.
 * The tree is built from the YAML event stream (snakeyaml-engine; JSON is YAML 1.2), as Semgrep builds
 * its own from libyaml's; comments, anchors and tags are left out, and an alias is a leaf of its own.
 */
final class DataDocuments {
    private DataDocuments() {
    }

    static SyntaxTree parse(Language language, String source) {
        LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).setMaxAliasesForCollections(Integer.MAX_VALUE)
                .setLabel(language.id()).build();
        Builder builder = new Builder(source, language == Language.YAML);
        try {
            for (Event event : new Parse(settings).parseString(language == Language.JSON ? blankComments(source) : source)) {
                builder.accept(event);
            }
        } catch (YamlEngineException | IllegalStateException e) {
            // Semgrep rejects a file it cannot read as YAML; so does matching here, with what came before the error kept.
            return builder.failed(language);
        }
        return new SyntaxTree(language, source, builder.root(), 0);
    }

    /**
     * The JSON text with its comments blanked out, offsets kept: Semgrep reads JSON with its
     * JavaScript parser, which takes {@code //} and {@code /* *}{@code /} comments.
     */
    static String blankComments(String json) {
        char[] text = json.toCharArray();
        int i = 0;
        while (i < text.length) {
            char c = text[i];
            if (c == '"') {
                i++;
                while (i < text.length && text[i] != '"' && text[i] != '\n') {
                    i += text[i] == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '/' && i + 1 < text.length && (text[i + 1] == '/' || text[i + 1] == '*')) {
                boolean line = text[i + 1] == '/';
                int end = line ? json.indexOf('\n', i) : json.indexOf("*/", i + 2);
                end = end < 0 ? text.length : line ? end : end + 2;
                for (int k = i; k < end; k++) {
                    if (text[k] != '\n') {
                        text[k] = ' ';
                    }
                }
                i = end;
            } else {
                i++;
            }
        }
        return new String(text);
    }

    /** Builds nodes bottom-up from the events: each open collection gathers its children. */
    private static final class Builder {
        private final String source;
        private final boolean yaml;
        private final int[] charIndex;
        private final Deque<Open> open = new ArrayDeque<>();
        private final List<SyntaxNode> documents = new ArrayList<>();

        /** A collection or document whose end event has not come yet. */
        private record Open(String kind, int start, boolean flow, List<SyntaxNode> children) {
        }

        Builder(String source, boolean yaml) {
            this.source = source;
            this.yaml = yaml;
            // Marks count code points; nodes count chars.
            this.charIndex = source.length() == source.codePointCount(0, source.length()) ? null : charOffsets(source);
        }

        void accept(Event event) {
            switch (event.getEventId()) {
                case DocumentStart -> open.push(new Open("document", start(event), false, new ArrayList<>()));
                case MappingStart, SequenceStart -> open.push(new Open(event.getEventId() == Event.ID.MappingStart ? "mapping" : "sequence",
                        start(event), ((CollectionStartEvent) event).isFlow(), new ArrayList<>()));
                case Scalar -> add(scalar((ScalarEvent) event));
                case Alias -> add(node("alias", start(event), end(event), List.of()));
                case MappingEnd, SequenceEnd -> {
                    Open collection = open.pop();
                    List<SyntaxNode> children = collection.kind().equals("mapping") ? pairs(collection.children()) : collection.children();
                    // A block collection ends with its last item; its end event lies after the blank lines and comments that follow.
                    int end = collection.flow() || children.isEmpty() ? end(event) : children.get(children.size() - 1).end();
                    int begin = collection.flow() || children.isEmpty() ? collection.start() : Math.min(collection.start(), children.get(0).start());
                    add(node(collection.kind(), begin, Math.max(begin, end), children));
                }
                case DocumentEnd -> {
                    Open document = open.pop();
                    List<SyntaxNode> content = document.children();
                    int begin = content.isEmpty() ? document.start() : content.get(0).start();
                    int end = content.isEmpty() ? begin : content.get(content.size() - 1).end();
                    documents.add(node("document", begin, end, content));
                }
                default -> {
                }
            }
        }

        private void add(SyntaxNode node) {
            open.peek().children().add(node);
        }

        /** A mapping's events alternate key and value. */
        private List<SyntaxNode> pairs(List<SyntaxNode> keysAndValues) {
            List<SyntaxNode> pairs = new ArrayList<>(keysAndValues.size() / 2);
            for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
                SyntaxNode key = withField(keysAndValues.get(i), "key");
                SyntaxNode value = withField(keysAndValues.get(i + 1), "value");
                // An empty value (key:) has no extent of its own; the pair ends with its key then.
                int end = Math.max(key.end(), value.end());
                pairs.add(node("pair", key.start(), end, List.of(key, value)));
            }
            return pairs;
        }

        /**
         * A scalar as Semgrep's {@code Yaml_to_generic.scalar} makes it: quoted, a string; else typed by its
         * value (a block scalar too: {@code >-} folding {@code true} is the boolean). A YAML scalar keeps its
         * value for matching; a block scalar's token starts after its {@code |} or {@code >} and chomping
         * sign ({@code mk_tok}), so its text (what a metavariable-regex reads) is its lines as written.
         */
        private SyntaxNode scalar(ScalarEvent scalar) {
            String value = scalar.getValue();
            int start = start(scalar);
            String kind = switch (scalar.getScalarStyle()) {
                case DOUBLE_QUOTED, SINGLE_QUOTED -> "string";
                case PLAIN -> DataScalars.kindOf(value);
                default -> {
                    start = Math.min(start + (source.startsWith("+", start + 1) || source.startsWith("-", start + 1) ? 2 : 1), end(scalar));
                    yield DataScalars.kindOf(value);
                }
            };
            return new SyntaxNode(kind, null, true, false, start, Math.max(start, end(scalar)), List.of(), source, yaml ? value : null);
        }

        private SyntaxNode withField(SyntaxNode node, String field) {
            return new SyntaxNode(node.kind(), field, true, node.isError(), node.start(), node.end(), node.children(), source, node.value());
        }

        private SyntaxNode node(String kind, int start, int end, List<SyntaxNode> children) {
            return new SyntaxNode(kind, null, true, false, start, Math.max(start, end), children, source);
        }

        private int start(Event event) {
            return offset(event.getStartMark().map(Mark::getIndex).orElse(0));
        }

        private int end(Event event) {
            return offset(event.getEndMark().map(Mark::getIndex).orElse(0));
        }

        private int offset(int codePoints) {
            if (charIndex == null) {
                return Math.min(codePoints, source.length());
            }
            return charIndex[Math.min(codePoints, charIndex.length - 1)];
        }

        /** The char offset of each code point, and of the end. */
        private static int[] charOffsets(String source) {
            int[] offsets = new int[source.codePointCount(0, source.length()) + 1];
            int at = 0;
            for (int i = 0; i < offsets.length - 1; i++) {
                offsets[i] = at;
                at += Character.charCount(source.codePointAt(at));
            }
            offsets[offsets.length - 1] = at;
            return offsets;
        }

        SyntaxNode root() {
            return new SyntaxNode("stream", null, true, false, 0, source.length(), documents, source);
        }

        /** The documents read before the error, then the rest of the file as an error node. */
        SyntaxTree failed(Language language) {
            int from = documents.isEmpty() ? 0 : documents.get(documents.size() - 1).end();
            List<SyntaxNode> children = new ArrayList<>(documents);
            children.add(new SyntaxNode("ERROR", null, true, true, from, source.length(), List.of(), source));
            return new SyntaxTree(language, source, new SyntaxNode("stream", null, true, false, 0, source.length(), children, source), 1);
        }
    }
}

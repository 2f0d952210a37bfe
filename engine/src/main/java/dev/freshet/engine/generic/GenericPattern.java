package dev.freshet.engine.generic;

import dev.freshet.engine.pattern.PatternException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pattern of Semgrep's generic mode: a sequence of tokens, where {@code ...} skips tokens,
 * {@code $X} matches one word and {@code $...X} skips and captures tokens. Lines indented deeper than
 * the line before form a {@link Block}, which must match a whole block (an indented run of lines, or
 * what a pair of brackets encloses on one line) of the document. Brackets in a pattern are plain tokens.
 *
 * @param ellipsisMaxSpan how many lines past the last matched token an ellipsis may reach
 *                        (Semgrep's {@code generic_ellipsis_max_span}; each further {@code ...} adds as many)
 * @param requiredWords   the words every match contains, so a file lacking one cannot match
 */
public record GenericPattern(String source, Sequence root, int ellipsisMaxSpan, Set<String> requiredWords) {
    public static final int DEFAULT_ELLIPSIS_MAX_SPAN = 10;

    public GenericPattern {
        if (ellipsisMaxSpan < 0) {
            throw new IllegalArgumentException("ellipsisMaxSpan must not be negative: " + ellipsisMaxSpan);
        }
        requiredWords = Set.copyOf(requiredWords);
    }

    /** One element of a pattern. */
    sealed interface Element permits Literal, Metavariable, Ellipsis, Block {
    }

    /** A word, a punctuation character or another character, matched exactly. */
    record Literal(String text) implements Element {
    }

    /** {@code $X}: any one word; the same word wherever {@code $X} appears again. */
    record Metavariable(String name) implements Element {
    }

    /** {@code ...}, or {@code $...X} (then {@code name} is {@code $...X}), which also captures what it skipped. */
    record Ellipsis(String name) implements Element {
    }

    /** Lines indented under the line before. */
    record Block(Sequence body) implements Element {
    }

    /**
     * Elements matched in order. The whole pattern is {@code open}: it may end before the block it is
     * matched in does; a {@link Block}'s body must reach the end of its block (an ellipsis may cover the rest).
     *
     * @param id        distinguishes sequences within one pattern
     * @param lastBlock the index of the last {@link Block} element, or -1
     */
    record Sequence(int id, List<Element> elements, boolean open, int lastBlock) {
        Sequence(int id, List<Element> elements, boolean open) {
            this(id, List.copyOf(elements), open, lastBlockOf(elements));
        }

        private static int lastBlockOf(List<Element> elements) {
            for (int i = elements.size() - 1; i >= 0; i--) {
                if (elements.get(i) instanceof Block) {
                    return i;
                }
            }
            return -1;
        }

        /** Whether the elements from {@code from} on can match no tokens at all. */
        boolean matchesNothingFrom(int from) {
            for (int i = from; i < elements.size(); i++) {
                boolean empty = switch (elements.get(i)) {
                    case Ellipsis e -> true;
                    case Block b -> b.body().matchesNothingFrom(0);
                    case Literal l -> false;
                    case Metavariable m -> false;
                };
                if (!empty) {
                    return false;
                }
            }
            return true;
        }
    }

    public GenericPattern withEllipsisMaxSpan(int span) {
        return new GenericPattern(source, root, span, requiredWords);
    }

    /** Reads a pattern; fails on an empty one and on an ellipsis followed by an ellipsis metavariable. */
    public static GenericPattern parse(String text) throws PatternException {
        record Frame(int indent, List<Element> elements) {
        }
        int[] ids = {0};
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame(0, new ArrayList<>()));
        Set<String> words = new TreeSet<>();
        for (int at = 0; at < text.length(); at = Tokens.nextLine(text, at)) {
            int indent = 0;
            int i = at;
            for (; i < text.length() && Tokens.isBlank(text.charAt(i)); i++) {
                indent += text.charAt(i) == '\t' ? Tokens.TAB_WIDTH : 1;
            }
            List<Element> line = line(text, i, words);
            if (line.isEmpty()) {
                continue;
            }
            while (frames.peek().indent() > indent) {
                Frame closed = frames.pop();
                frames.peek().elements().add(new Block(new Sequence(++ids[0], closed.elements(), false)));
            }
            if (frames.peek().indent() < indent) {
                frames.push(new Frame(indent, new ArrayList<>()));
            }
            frames.peek().elements().addAll(line);
        }
        while (frames.size() > 1) {
            Frame closed = frames.pop();
            frames.peek().elements().add(new Block(new Sequence(++ids[0], closed.elements(), false)));
        }
        Sequence root = new Sequence(0, frames.pop().elements(), true);
        if (root.elements().isEmpty()) {
            throw new PatternException("is empty");
        }
        check(root);
        return new GenericPattern(text, root, DEFAULT_ELLIPSIS_MAX_SPAN, words);
    }

    /** The elements of one line, from {@code i} to its end. */
    private static List<Element> line(String text, int i, Set<String> words) {
        List<Element> out = new ArrayList<>();
        while (i < text.length() && !Tokens.isLineBreak(text, i)) {
            char c = text.charAt(i);
            if (Tokens.isBlank(c)) {
                i++;
            } else if (text.startsWith("...", i)) {
                int dots = 0;
                while (i + dots < text.length() && text.charAt(i + dots) == '.') {
                    dots++;
                }
                if (dots == 3) {
                    out.add(new Ellipsis(null));
                } else {
                    // Four dots or more are punctuation, as Semgrep reads them.
                    for (int d = 0; d < dots; d++) {
                        out.add(new Literal("."));
                    }
                }
                i += dots;
            } else if (c == '$' && text.startsWith("...", i + 1) && startsMetavariableName(text, i + 4)) {
                int end = Tokens.tokenEnd(text, i + 4);
                out.add(new Ellipsis("$..." + text.substring(i + 4, end)));
                i = end;
            } else if (c == '$' && startsMetavariableName(text, i + 1)) {
                int end = Tokens.tokenEnd(text, i + 1);
                out.add(new Metavariable(text.substring(i, end)));
                i = end;
            } else {
                int end = Tokens.tokenEnd(text, i);
                String token = text.substring(i, end);
                if (Tokens.isWordChar(c)) {
                    words.add(token);
                }
                out.add(new Literal(token));
                i = end;
            }
        }
        return out;
    }

    /** Metavariable names start with a capital letter ({@code $x} is the token {@code $} and the word {@code x}). */
    private static boolean startsMetavariableName(String text, int i) {
        return i < text.length() && text.charAt(i) >= 'A' && text.charAt(i) <= 'Z';
    }

    /** {@code ... $...X} cannot say where one ellipsis ends and the other starts. */
    private static void check(Sequence sequence) throws PatternException {
        List<Element> elements = sequence.elements();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) instanceof Block block) {
                check(block.body());
            } else if (i > 0 && elements.get(i - 1) instanceof Ellipsis && elements.get(i) instanceof Ellipsis named
                    && named.name() != null) {
                throw new PatternException("has an ellipsis right before " + named.name()
                        + "; it cannot tell where one ends and the other starts");
            }
        }
    }
}

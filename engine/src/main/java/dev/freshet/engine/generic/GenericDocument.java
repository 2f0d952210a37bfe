package dev.freshet.engine.generic;

import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A text file as generic mode sees it: its tokens, in order, nested in blocks. Indentation makes the
 * primary blocks (a line indented deeper than the one before opens a block, a line indented less closes
 * it); brackets {@code () [] {}} closed on the same line make secondary blocks of what they enclose, so
 * a stray bracket never disturbs the rest of the file. An unclosed or mismatched bracket is a plain token.
 *
 * <p>Tokens and blocks are kept in flat arrays, with no object per token: a block is a contiguous range
 * of tokens, and block 0 is the whole file. Building is linear in the size of the text.
 */
public final class GenericDocument {
    final String source;
    final int size;
    final int[] start;
    final int[] end;
    /** The 0-based line of each token. */
    final int[] line;
    /** The innermost block holding each token directly. */
    final int[] parent;
    /** The block (other than block 0) whose first token is this one, or -1: no two blocks share a first token. */
    final int[] blockAt;
    final int[] blockStart;
    final int[] blockEnd;
    final int[] blockParent;
    private final Map<String, List<Match>> matches = new HashMap<>();
    /** Where each token text occurs, in order; built on first use. */
    private Map<String, int[]> occurrences;

    private GenericDocument(String source, Ints start, Ints end, Ints line, Ints parent, Ints blockStart, Ints blockEnd,
                            Ints blockParent) {
        this.source = source;
        this.size = start.size;
        this.start = start.toArray();
        this.end = end.toArray();
        this.line = line.toArray();
        this.parent = parent.toArray();
        this.blockStart = blockStart.toArray();
        this.blockEnd = blockEnd.toArray();
        this.blockParent = blockParent.toArray();
        this.blockAt = new int[size];
        Arrays.fill(blockAt, -1);
        for (int block = 1; block < this.blockStart.length; block++) {
            blockAt[this.blockStart[block]] = block;
        }
    }

    public String source() {
        return source;
    }

    public int tokenCount() {
        return size;
    }

    /** The matches of the pattern, computed once per pattern. */
    public List<Match> matches(GenericPattern pattern, Deadline deadline) {
        String key = pattern.ellipsisMaxSpan() + "\u0000" + pattern.source();
        List<Match> known = matches.get(key);
        if (known == null) {
            known = List.copyOf(new GenericMatcher(this, pattern, deadline).search());
            matches.put(key, known);
        }
        return known;
    }

    /** The first token at or after {@code from} whose text is {@code text}, or {@link #size} if none. */
    int nextOccurrence(String text, int from) {
        if (occurrences == null) {
            Map<String, Ints> positions = new HashMap<>();
            for (int token = 0; token < size; token++) {
                positions.computeIfAbsent(text(token), t -> new Ints()).add(token);
            }
            occurrences = new HashMap<>();
            positions.forEach((t, at) -> occurrences.put(t, at.toArray()));
        }
        int[] at = occurrences.get(text);
        if (at == null) {
            return size;
        }
        int found = Arrays.binarySearch(at, from);
        int index = found >= 0 ? found : -found - 1;
        return index < at.length ? at[index] : size;
    }

    String text(int token) {
        return source.substring(start[token], end[token]);
    }

    boolean textEquals(int token, String text) {
        return end[token] - start[token] == text.length() && source.startsWith(text, start[token]);
    }

    boolean isWord(int token) {
        return Tokens.isWordChar(source.charAt(start[token]));
    }

    public static GenericDocument of(String source) {
        Builder builder = new Builder(source);
        for (int at = 0; at < source.length(); at = Tokens.nextLine(source, at)) {
            builder.line(at);
        }
        return builder.finish();
    }

    /** Reads the text line by line, keeping the stack of open indentation blocks. */
    private static final class Builder {
        private final String source;
        private final Ints start = new Ints();
        private final Ints end = new Ints();
        private final Ints line = new Ints();
        private final Ints parent = new Ints();
        private final Ints blockStart = new Ints();
        private final Ints blockEnd = new Ints();
        private final Ints blockParent = new Ints();
        /** Open indentation blocks, innermost last, with their indentation. */
        private final Ints openBlocks = new Ints();
        private final Ints openIndents = new Ints();
        private int lineNumber = -1;

        Builder(String source) {
            this.source = source;
            newBlock(0, -1);
            openBlocks.add(0);
            openIndents.add(0);
        }

        private int newBlock(int first, int parentBlock) {
            blockStart.add(first);
            blockEnd.add(-1);
            blockParent.add(parentBlock);
            return blockStart.size - 1;
        }

        void line(int at) {
            lineNumber++;
            int indent = 0;
            int i = at;
            for (; i < source.length() && Tokens.isBlank(source.charAt(i)); i++) {
                indent += source.charAt(i) == '\t' ? Tokens.TAB_WIDTH : 1;
            }
            int first = start.size;
            while (i < source.length() && !Tokens.isLineBreak(source, i)) {
                if (Tokens.isBlank(source.charAt(i))) {
                    i++;
                    continue;
                }
                int tokenEnd = Tokens.tokenEnd(source, i);
                start.add(i);
                end.add(tokenEnd);
                line.add(lineNumber);
                parent.add(-1);
                i = tokenEnd;
            }
            if (start.size == first) {
                return; // blank lines do not open or close blocks
            }
            while (openIndents.last() > indent) {
                blockEnd.set(openBlocks.last(), first);
                openBlocks.removeLast();
                openIndents.removeLast();
            }
            if (openIndents.last() < indent) {
                openBlocks.add(newBlock(first, openBlocks.last()));
                openIndents.add(indent);
            }
            brackets(first, start.size, openBlocks.last());
        }

        /**
         * Pairs the brackets of one line with a stack: a closing bracket that does not fit the innermost
         * open one turns that one into a plain token and tries the next; brackets left open at the end of
         * the line are plain tokens. Then each token gets its innermost block, in one sweep.
         */
        private void brackets(int from, int to, int lineBlock) {
            int[] closer = new int[to - from];
            Arrays.fill(closer, -1);
            Ints open = new Ints();
            for (int t = from; t < to; t++) {
                char c = source.charAt(start.get(t));
                if (c == '(' || c == '[' || c == '{') {
                    open.add(t);
                } else if (c == ')' || c == ']' || c == '}') {
                    char wanted = c == ')' ? '(' : c == ']' ? '[' : '{';
                    while (open.size > 0 && source.charAt(start.get(open.last())) != wanted) {
                        open.removeLast();
                    }
                    if (open.size > 0) {
                        closer[open.last() - from] = t;
                        open.removeLast();
                    }
                }
            }
            Ints enclosing = new Ints(); // bracket blocks open at the sweep position, innermost last
            for (int t = from; t < to; t++) {
                while (enclosing.size > 0 && blockEnd.get(enclosing.last()) <= t) {
                    enclosing.removeLast();
                }
                int holder = enclosing.size > 0 ? enclosing.last() : lineBlock;
                parent.set(t, holder);
                int close = closer[t - from];
                if (close > t + 1) { // empty brackets enclose no block
                    int block = newBlock(t + 1, holder);
                    blockEnd.set(block, close);
                    enclosing.add(block);
                }
            }
        }

        GenericDocument finish() {
            while (openBlocks.size > 0) {
                blockEnd.set(openBlocks.last(), start.size);
                openBlocks.removeLast();
            }
            return new GenericDocument(source, start, end, line, parent, blockStart, blockEnd, blockParent);
        }
    }

    /** A growable array of ints. */
    private static final class Ints {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int get(int index) {
            return values[index];
        }

        void set(int index, int value) {
            values[index] = value;
        }

        int last() {
            return values[size - 1];
        }

        void removeLast() {
            size--;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

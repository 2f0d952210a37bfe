package dev.freshet.engine.generic;

import dev.freshet.engine.generic.GenericPattern.Block;
import dev.freshet.engine.generic.GenericPattern.Element;
import dev.freshet.engine.generic.GenericPattern.Ellipsis;
import dev.freshet.engine.generic.GenericPattern.Literal;
import dev.freshet.engine.generic.GenericPattern.Metavariable;
import dev.freshet.engine.generic.GenericPattern.Sequence;
import dev.freshet.engine.pattern.Bindings;
import dev.freshet.engine.pattern.Captured;
import dev.freshet.engine.pattern.Deadline;
import dev.freshet.engine.pattern.Match;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a generic pattern in a document, with Semgrep's generic-mode semantics:
 * <ul>
 * <li>A match is tried from every token (from the first token of every block when the pattern starts
 *     with {@code ...}) and may not leave the block it started in; tokens of inner blocks are matched as
 *     if the block were flat.</li>
 * <li>An ellipsis skips tokens up to {@code ellipsisMaxSpan} lines below the last matched token; a
 *     second {@code ...} in a row reaches as many lines further. At the end of the pattern it takes in
 *     the rest of the current block within that reach.</li>
 * <li>A pattern {@link Block} matches a whole document block, which is not skipped by an ellipsis.</li>
 * <li>From each start, the first match found is kept, trying to match a token before skipping it (so
 *     ellipses are as short as they can be); of two matches ending at the same token, the shorter.</li>
 * </ul>
 * Matching backtracks only over ellipses. An ellipsis followed by a known token jumps from one
 * occurrence of that token to the next, and states that failed are remembered, so a pattern like
 * {@code a ... b} stays fast on a long line with many {@code a} and few {@code b}.
 */
final class GenericMatcher {
    /** States remembered as failed, at most; past that, matching goes on without remembering more. */
    private static final int MAX_FAILED_STATES = 200_000;

    private final GenericDocument doc;
    private final GenericPattern pattern;
    private final Deadline deadline;
    /** Whether to jump to the next wanted token and remember failed states; off only to check they change nothing. */
    private final boolean shortcuts;
    private final Set<FailedState> failed = new HashSet<>();
    private int steps;

    /**
     * An open ellipsis: tokens up to line {@code maxLine} may be skipped; {@code name} (or null) captures
     * the text from {@code captureStart} to {@code captureEnd}.
     */
    private record Dots(int maxLine, String name, int captureStart, int captureEnd) {
        Dots skipping(int tokenEnd) {
            return new Dots(maxLine, name, captureStart, tokenEnd);
        }
    }

    /** The outcome of matching the rest of a sequence: the bindings and where the match ends. */
    private record Done(Bindings bindings, int lastEnd, int lastLine) {
    }

    /** A matching state whose continuation is known to fail. */
    private record FailedState(int sequence, int element, int position, int block, int boundary, int maxLine, String bindings) {
    }

    GenericMatcher(GenericDocument doc, GenericPattern pattern, Deadline deadline) {
        this(doc, pattern, deadline, true);
    }

    GenericMatcher(GenericDocument doc, GenericPattern pattern, Deadline deadline, boolean shortcuts) {
        this.doc = doc;
        this.pattern = pattern;
        this.deadline = deadline;
        this.shortcuts = shortcuts;
    }

    List<Match> search() {
        Sequence root = pattern.root();
        boolean blockStartsOnly = root.elements().get(0) instanceof Ellipsis;
        List<Match> found = new ArrayList<>();
        Map<Integer, Match> byEnd = new HashMap<>();
        for (int token = 0; token < doc.size; token++) {
            int block = doc.parent[token];
            if (blockStartsOnly && doc.blockStart[block] != token) {
                continue;
            }
            Done done = match(root, 0, token, block, block, null, Bindings.EMPTY, doc.start[token], doc.line[token]);
            if (done != null && done.lastEnd() > doc.start[token]) {
                Match match = new Match(doc.start[token], done.lastEnd(), done.bindings());
                found.add(match);
                byEnd.put(match.end(), match); // a later start ending at the same place is the shorter match
            }
        }
        return found.stream().filter(m -> byEnd.get(m.end()) == m).toList();
    }

    /**
     * Matches the elements of {@code sequence} from {@code index} at token {@code position}, inside
     * {@code block} and never past the end of {@code boundary}.
     */
    private Done match(Sequence sequence, int index, int position, int block, int boundary, Dots dots,
                       Bindings bindings, int lastEnd, int lastLine) {
        List<Element> elements = sequence.elements();
        List<FailedState> visited = null;
        String bindingsKey = null;
        while (true) {
            tick();
            if (index == elements.size()) {
                return finish(sequence, position, block, dots, bindings, lastEnd, lastLine);
            }
            Element element = elements.get(index);
            if (element instanceof Ellipsis ellipsis) {
                dots = dots == null
                        ? new Dots(lastLine + pattern.ellipsisMaxSpan(), ellipsis.name(), lastEnd, lastEnd)
                        : new Dots(dots.maxLine() + pattern.ellipsisMaxSpan(), dots.name(), dots.captureStart(), dots.captureEnd());
                index++;
                continue;
            }
            if (element instanceof Block patternBlock) {
                if (position == doc.blockEnd[block]) {
                    Bindings closed = close(dots, bindings);
                    return closed != null && sequence.matchesNothingFrom(index) ? new Done(closed, lastEnd, lastLine) : null;
                }
                int child = doc.blockAt[position];
                if (child >= 0 && doc.blockParent[child] == block) {
                    Bindings closed = close(dots, bindings);
                    Done inner = closed == null ? null
                            : match(patternBlock.body(), 0, position, child, child, null, closed, lastEnd, lastLine);
                    if (inner == null) {
                        return null;
                    }
                    position = doc.blockEnd[child];
                    dots = null;
                    bindings = inner.bindings();
                    lastEnd = inner.lastEnd();
                    lastLine = inner.lastLine();
                    index++;
                } else if (dots != null && doc.line[position] <= dots.maxLine()) {
                    dots = dots.skipping(doc.end[position]);
                    position++;
                } else {
                    bindings = close(dots, bindings);
                    if (bindings == null || !patternBlock.body().matchesNothingFrom(0)) {
                        return null;
                    }
                    dots = null;
                    index++;
                }
                continue;
            }
            // A token: leave blocks that are done (not past the boundary), enter one that starts here.
            while (position == doc.blockEnd[block] && block != boundary) {
                block = doc.blockParent[block];
            }
            if (position == doc.blockEnd[block]) {
                return failed(visited);
            }
            int child = doc.blockAt[position];
            if (child >= 0 && doc.blockParent[child] == block) {
                block = child;
            }
            if (dots != null && doc.line[position] > dots.maxLine()) {
                return failed(visited);
            }
            // Without a named ellipsis or blocks ahead, the outcome depends on nothing more than this state.
            boolean memorable = shortcuts && dots != null && dots.name() == null && index > sequence.lastBlock();
            if (memorable) {
                if (bindingsKey == null) {
                    bindingsKey = key(bindings);
                }
                FailedState state = new FailedState(sequence.id(), index, position, block, boundary, dots.maxLine(), bindingsKey);
                if (failed.contains(state)) {
                    return failed(visited);
                }
                if (visited == null) {
                    visited = new ArrayList<>();
                }
                visited.add(state);
            }
            Bindings closed = close(dots, bindings);
            Bindings matched = closed == null ? null : token(element, position, closed);
            if (matched != null) {
                Done done = match(sequence, index + 1, position + 1, block, boundary, null, matched,
                        doc.end[position], doc.line[position]);
                if (done != null) {
                    return done;
                }
            }
            if (dots == null) {
                return failed(visited);
            }
            // Only a token with the wanted text can match: go straight to the next one (in whatever block).
            String wanted = shortcuts ? wantedText(element, bindings) : null;
            int next = wanted == null ? position + 1 : doc.nextOccurrence(wanted, position + 1);
            if (next > position + 1) {
                if (next >= doc.blockEnd[boundary]) {
                    return failed(visited);
                }
                dots = dots.skipping(doc.end[next - 1]);
                position = next;
                block = doc.parent[next];
                continue;
            }
            dots = dots.skipping(doc.end[position]);
            position++;
        }
    }

    /** The text a document token must have to match the element, or null when any word may do. */
    private static String wantedText(Element element, Bindings bindings) {
        if (element instanceof Literal literal) {
            return literal.text();
        }
        Captured bound = element instanceof Metavariable metavariable ? bindings.get(metavariable.name()) : null;
        return bound == null ? null : bound.text();
    }

    /** The end of a sequence: a trailing ellipsis takes in the rest of the block within its reach. */
    private Done finish(Sequence sequence, int position, int block, Dots dots, Bindings bindings, int lastEnd, int lastLine) {
        if (dots != null) {
            int last = lastTokenWithin(position, doc.blockEnd[block], dots.maxLine());
            if (last >= 0) {
                lastEnd = doc.end[last];
                lastLine = doc.line[last];
            }
            Bindings closed = close(dots.skipping(lastEnd), bindings);
            return closed == null ? null : new Done(closed, lastEnd, lastLine);
        }
        // A block's pattern must cover its block to the end; the whole pattern may stop anywhere.
        return sequence.open() || position == doc.blockEnd[block] ? new Done(bindings, lastEnd, lastLine) : null;
    }

    /** The last token in [from, to) on a line up to {@code maxLine}, or -1; lines only grow along the tokens. */
    private int lastTokenWithin(int from, int to, int maxLine) {
        int low = from;
        int high = to - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (doc.line[middle] <= maxLine) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** The bindings once a named ellipsis is closed on what it skipped, or null if that contradicts them. */
    private Bindings close(Dots dots, Bindings bindings) {
        if (dots == null || dots.name() == null) {
            return bindings;
        }
        return bind(bindings, dots.name(), dots.captureStart(), dots.captureEnd());
    }

    /** The bindings once the pattern token has matched document token {@code position}, or null. */
    private Bindings token(Element element, int position, Bindings bindings) {
        return switch (element) {
            case Literal literal -> doc.textEquals(position, literal.text()) ? bindings : null;
            case Metavariable metavariable -> doc.isWord(position)
                    ? bind(bindings, metavariable.name(), doc.start[position], doc.end[position]) : null;
            case Ellipsis e -> throw new IllegalStateException("not a token");
            case Block b -> throw new IllegalStateException("not a token");
        };
    }

    /** Binds a metavariable to a span of text; bound already, the text must be the same. */
    private Bindings bind(Bindings bindings, String name, int from, int to) {
        String text = doc.source.substring(from, to);
        Captured known = bindings.get(name);
        if (known == null) {
            return bindings.with(name, Captured.ofText(from, to, text));
        }
        return known.text().equals(text) ? bindings : null;
    }

    private static String key(Bindings bindings) {
        StringBuilder key = new StringBuilder();
        bindings.asMap().forEach((name, captured) -> key.append(name).append('=').append(captured.text()).append('\u0000'));
        return key.toString();
    }

    private Done failed(List<FailedState> visited) {
        if (visited != null && failed.size() < MAX_FAILED_STATES) {
            failed.addAll(visited);
        }
        return null;
    }

    private void tick() {
        if ((++steps & 1023) == 0) {
            deadline.check();
        }
    }
}

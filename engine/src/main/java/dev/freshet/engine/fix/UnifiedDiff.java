package dev.freshet.engine.fix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff ({@code diff -u} style, three lines of context) of the change a list of applied,
 * non-overlapping edits makes to a text. The changed lines are known from the edits, so no general
 * diff algorithm is needed: each edit replaces the old lines it touches with those lines rewritten.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** The diff, or "" when there is nothing to change. {@code edits} must be sorted and must not overlap. */
    public static String of(String path, String text, List<Edit> edits) {
        if (edits.isEmpty()) {
            return "";
        }
        Lines lines = Lines.of(text);
        // Changes: runs of old lines [first, last] rewritten as a whole; edits on shared lines join one change.
        List<Change> changes = new ArrayList<>();
        for (Edit edit : edits) {
            int first = lines.lineOf(edit.start());
            int last = Math.max(first, lines.lineOf(endsWholeLine(edit, lines) ? edit.end() - 1 : edit.end()));
            Change previous = changes.isEmpty() ? null : changes.get(changes.size() - 1);
            if (previous != null && first <= previous.last) {
                previous.last = Math.max(previous.last, last);
                previous.edits.add(edit);
            } else {
                Change change = new Change(first, last);
                change.edits.add(edit);
                changes.add(change);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        int lineDelta = 0;
        int i = 0;
        while (i < changes.size()) {
            // One hunk: changes whose context would touch or overlap.
            int j = i;
            while (j + 1 < changes.size() && changes.get(j + 1).first - changes.get(j).last - 1 <= 2 * CONTEXT) {
                j++;
            }
            int from = Math.max(0, changes.get(i).first - CONTEXT);
            int to = Math.min(lines.count() - 1, changes.get(j).last + CONTEXT);
            StringBuilder body = new StringBuilder();
            int oldCount = 0;
            int newCount = 0;
            int line = from;
            for (int k = i; k <= j; k++) {
                Change change = changes.get(k);
                for (; line < change.first; line++) {
                    appendLine(body, ' ', lines.line(line));
                    oldCount++;
                    newCount++;
                }
                int segmentStart = lines.start(change.first);
                String oldSegment = text.substring(segmentStart, lines.end(change.last));
                for (String old : Lines.split(oldSegment)) {
                    appendLine(body, '-', old);
                    oldCount++;
                }
                for (String added : Lines.split(rewrite(oldSegment, segmentStart, change.edits))) {
                    appendLine(body, '+', added);
                    newCount++;
                }
                line = change.last + 1;
            }
            for (; line <= to; line++) {
                appendLine(body, ' ', lines.line(line));
                oldCount++;
                newCount++;
            }
            // An empty side of a hunk is numbered by the line before it, as diff -u does.
            int oldStart = oldCount == 0 ? from : from + 1;
            int newStart = newCount == 0 ? from + lineDelta : from + lineDelta + 1;
            out.append("@@ -").append(oldStart).append(',').append(oldCount)
                    .append(" +").append(newStart).append(',').append(newCount).append(" @@\n").append(body);
            lineDelta += newCount - oldCount;
            i = j + 1;
        }
        return out.toString();
    }

    /**
     * Whether the edit stops right after a line break and leaves a line break (or nothing, from a line start)
     * in its place, so the line after it is untouched.
     */
    private static boolean endsWholeLine(Edit edit, Lines lines) {
        boolean atLineStart = edit.end() > edit.start() && lines.lineOf(edit.end()) != lines.lineOf(edit.end() - 1);
        return atLineStart && (edit.replacement().endsWith("\n")
                || edit.replacement().isEmpty() && lines.start(lines.lineOf(edit.start())) == edit.start());
    }

    private static String rewrite(String segment, int offset, List<Edit> edits) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (Edit edit : edits) {
            out.append(segment, copied, edit.start() - offset).append(edit.replacement());
            copied = edit.end() - offset;
        }
        return out.append(segment, copied, segment.length()).toString();
    }

    /** A line keeps its own terminator (\n or \r\n) in the text; the diff shows it without, and flags a missing one. */
    private static void appendLine(StringBuilder out, char marker, String line) {
        out.append(marker);
        if (line.endsWith("\n")) {
            out.append(line, 0, line.length() - 1).append('\n');
        } else {
            out.append(line).append("\n\\ No newline at end of file\n");
        }
    }

    private static final class Change {
        final int first;
        int last;
        final List<Edit> edits = new ArrayList<>();

        Change(int first, int last) {
            this.first = first;
            this.last = last;
        }
    }

    /** Line starts of a text; a text ending in a line break has no extra empty line after it. */
    private record Lines(String text, int[] starts, int count) {
        static Lines of(String text) {
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            int count = text.isEmpty() || text.endsWith("\n") ? starts.size() - 1 : starts.size();
            return new Lines(text, starts.stream().mapToInt(Integer::intValue).toArray(), count);
        }

        /** The line holding the offset; the end of a text ending in a line break is a line past the last. */
        int lineOf(int offset) {
            int at = Arrays.binarySearch(starts, offset);
            return at >= 0 ? at : -at - 2;
        }

        int start(int line) {
            return line < starts.length ? starts[line] : text.length();
        }

        int end(int line) {
            return line + 1 < starts.length ? starts[line + 1] : text.length();
        }

        String line(int line) {
            return text.substring(start(line), end(line));
        }

        static List<String> split(String segment) {
            List<String> out = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < segment.length(); i++) {
                if (segment.charAt(i) == '\n') {
                    out.add(segment.substring(from, i + 1));
                    from = i + 1;
                }
            }
            if (from < segment.length()) {
                out.add(segment.substring(from));
            }
            return out;
        }
    }
}

package dev.freshet.engine.fix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Applies edits to a text. Overlapping edits cannot all hold: the earliest-starting (and, at one
 * start, the widest) wins and each edit overlapping an applied one is skipped with a note. The result
 * is what applying the kept edits from the end of the text backwards gives, built in one pass.
 */
public final class Edits {
    private Edits() {
    }

    /** An edit that was not applied, and why. */
    public record Skipped(Edit edit, String reason) {
    }

    /** The new text, the edits in it (in file order) and the ones left out. */
    public record Result(String text, List<Edit> applied, List<Skipped> skipped) {
        public boolean changed() {
            return !applied.isEmpty();
        }
    }

    public static Result apply(String text, List<Edit> edits) {
        List<Edit> ordered = new ArrayList<>(edits);
        ordered.sort(Comparator.comparingInt(Edit::start).thenComparing(Comparator.comparingInt(Edit::end).reversed()));
        List<Edit> applied = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        Edit last = null;
        for (Edit edit : ordered) {
            if (last != null && last.start() == edit.start() && last.end() == edit.end() && last.replacement().equals(edit.replacement())) {
                continue; // the same fix found twice (two rules, or two matches of one range) is one fix
            }
            if (edit.end() > text.length() || !text.regionMatches(edit.start(), edit.original(), 0, edit.original().length())) {
                skipped.add(new Skipped(edit, "the code there changed since the scan"));
                continue;
            }
            // Touching is fine (one ends where the next starts); two insertions at one point are not.
            boolean overlaps = last != null && (edit.start() < last.end() || edit.start() == last.start());
            if (overlaps) {
                skipped.add(new Skipped(edit, "overlaps the fix at offset " + last.start() + ".." + last.end()));
                continue;
            }
            out.append(text, copied, edit.start()).append(edit.replacement());
            copied = edit.end();
            applied.add(edit);
            last = edit;
        }
        out.append(text, copied, text.length());
        return new Result(out.toString(), applied, skipped);
    }
}

package dev.freshet.engine.pattern;

/** A matched span of a file (char offsets, end exclusive) with the metavariables bound there. */
public record Match(int start, int end, Bindings bindings) {

    public boolean sameRange(Match other) {
        return start == other.start && end == other.end;
    }

    public boolean inside(Match other) {
        return other.start <= start && end <= other.end;
    }
}

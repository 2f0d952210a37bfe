package dev.freshet.engine.pattern;

/** A matched span of a file (char offsets, end exclusive) with the metavariables bound there. */
public record Match(int start, int end, Bindings bindings) {

    public boolean sameRange(Match other) {
        return start == other.start && end == other.end;
    }

    public boolean inside(Match other) {
        return other.start <= start && end <= other.end;
    }

    /** Range and what each metavariable is bound to, by position: equal keys are the same match. */
    public String key() {
        StringBuilder key = new StringBuilder().append(start).append(':').append(end);
        bindings.asMap().forEach((name, captured) ->
                key.append('|').append(name).append('=').append(captured.start()).append('-').append(captured.end()));
        return key.toString();
    }
}

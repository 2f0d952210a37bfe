package dev.freshet.engine.pattern;

import java.util.LinkedHashMap;
import java.util.Map;

/** Metavariable bindings as an immutable linked list: extending shares the tail, so backtracking is free. */
public final class Bindings {
    public static final Bindings EMPTY = new Bindings(null, null, null);

    private final String name;
    private final Captured value;
    private final Bindings next;

    private Bindings(String name, Captured value, Bindings next) {
        this.name = name;
        this.value = value;
        this.next = next;
    }

    public Captured get(String metavariable) {
        for (Bindings b = this; b.name != null; b = b.next) {
            if (b.name.equals(metavariable)) {
                return b.value;
            }
        }
        return null;
    }

    public Bindings with(String metavariable, Captured captured) {
        return new Bindings(metavariable, captured, this);
    }

    /** Both sets of bindings together, or null when a shared name is bound to different code. */
    public Bindings merge(Bindings other) {
        Bindings merged = this;
        for (Bindings b = other; b.name != null; b = b.next) {
            Captured mine = merged.get(b.name);
            if (mine == null) {
                merged = merged.with(b.name, b.value);
            } else if (!mine.sameCode(b.value)) {
                return null;
            }
        }
        return merged;
    }

    /** Whether every name bound in both is bound to the same code. */
    public boolean compatible(Bindings other) {
        for (Bindings b = other; b.name != null; b = b.next) {
            Captured mine = get(b.name);
            if (mine != null && !mine.sameCode(b.value)) {
                return false;
            }
        }
        return true;
    }

    public Map<String, Captured> asMap() {
        Map<String, Captured> map = new LinkedHashMap<>();
        for (Bindings b = this; b.name != null; b = b.next) {
            map.putIfAbsent(b.name, b.value);
        }
        return map;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}

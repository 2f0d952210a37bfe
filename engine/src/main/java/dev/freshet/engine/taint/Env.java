package dev.freshet.engine.taint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The taint of variables and field paths ({@code x}, {@code x.a.b}) at one point of a function,
 * as label masks. A path without an entry has the taint of its longest recorded prefix, so
 * {@code x.a} is tainted when {@code x} is, and an entry of 0 records that a field was cleaned.
 * Only entries that matter are kept: clean code keeps the map empty and copies cheap.
 */
final class Env {
    private Map<String, Long> values;
    /** After a return or throw: nothing here runs, and merging ignores this state. */
    boolean dead;

    Env() {
        this.values = new HashMap<>();
    }

    private Env(Map<String, Long> values, boolean dead) {
        this.values = values;
        this.dead = dead;
    }

    Env copy() {
        return new Env(new HashMap<>(values), dead);
    }

    long lookup(String path) {
        String p = path;
        while (true) {
            Long value = values.get(p);
            if (value != null) {
                return value;
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                return 0;
            }
            p = p.substring(0, dot);
        }
    }

    /** The value recorded for exactly this path, or null. */
    Long exactly(String path) {
        return values.get(path);
    }

    /** Strong update: the path (and every field below it) now has exactly this taint. */
    void set(String path, long mask) {
        if (!values.isEmpty()) {
            String below = path + ".";
            values.keySet().removeIf(k -> k.startsWith(below));
        }
        int dot = path.lastIndexOf('.');
        if (mask == 0 && (dot < 0 || lookup(path.substring(0, dot)) == 0)) {
            values.remove(path);
        } else {
            values.put(path, mask);
        }
    }

    /** Weak update: the path keeps its taint and gains this one. */
    void add(String path, long mask) {
        if (mask != 0) {
            values.put(path, lookup(path) | mask);
        }
    }

    /** Takes in what holds at the end of another path through the code (union of taint). */
    void mergeFrom(Env other) {
        if (other.dead) {
            return;
        }
        if (dead) {
            values = new HashMap<>(other.values);
            dead = false;
            return;
        }
        Set<String> keys = new HashSet<>(values.keySet());
        keys.addAll(other.values.keySet());
        Map<String, Long> merged = new HashMap<>();
        for (String key : keys) {
            merged.put(key, lookup(key) | other.lookup(key));
        }
        values = merged;
    }

    void replaceWith(Env other) {
        values = other.values;
        dead = other.dead;
    }

    boolean sameAs(Env other) {
        return dead == other.dead && values.equals(other.values);
    }
}

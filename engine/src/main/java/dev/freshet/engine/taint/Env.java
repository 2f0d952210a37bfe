package dev.freshet.engine.taint;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The taint of variables and field paths ({@code x}, {@code x.a.b}) at one point of a function,
 * as label masks. A path without an entry has the taint of its longest recorded prefix, so
 * {@code x.a} is tainted when {@code x} is, and an entry of 0 records that a field was cleaned.
 * Only entries that matter are kept, and copies share the map until one of them writes, so
 * branches that change nothing cost nothing.
 */
final class Env {
    /** Sorted, so the fields below a path are one range of keys. */
    private TreeMap<String, Long> values;
    private boolean shared;
    /** After a return or throw: nothing here runs, and merging ignores this state. */
    boolean dead;

    Env() {
        this.values = new TreeMap<>();
    }

    private Env(TreeMap<String, Long> values, boolean dead) {
        this.values = values;
        this.dead = dead;
        this.shared = true;
    }

    Env copy() {
        shared = true;
        return new Env(values, dead);
    }

    private TreeMap<String, Long> writable() {
        if (shared) {
            values = new TreeMap<>(values);
            shared = false;
        }
        return values;
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
        // Keys below "a.b" run from "a.b." up to "a.b/" ('/' follows '.').
        if (!values.subMap(path + ".", path + "/").isEmpty()) {
            writable().subMap(path + ".", path + "/").clear();
        }
        int dot = path.lastIndexOf('.');
        if (mask == 0 && (dot < 0 || lookup(path.substring(0, dot)) == 0)) {
            if (values.containsKey(path)) {
                writable().remove(path);
            }
        } else {
            put(path, mask);
        }
    }

    /** Weak update: the path keeps its taint and gains this one. */
    void add(String path, long mask) {
        if (mask != 0) {
            put(path, lookup(path) | mask);
        }
    }

    private void put(String path, long mask) {
        Long old = values.get(path);
        if (old == null || old != mask) {
            writable().put(path, mask);
        }
    }

    /** Takes in what holds at the end of another path through the code (union of taint). */
    void mergeFrom(Env other) {
        if (other.dead || other.values == values && !dead) {
            return;
        }
        if (dead) {
            replaceWith(other);
            return;
        }
        Set<String> keys = new HashSet<>(values.keySet());
        keys.addAll(other.values.keySet());
        TreeMap<String, Long> merged = new TreeMap<>();
        for (String key : keys) {
            merged.put(key, lookup(key) | other.lookup(key));
        }
        values = merged;
        shared = false;
    }

    void replaceWith(Env other) {
        other.shared = true;
        values = other.values;
        shared = true;
        dead = other.dead;
    }

    boolean sameAs(Env other) {
        return dead == other.dead && (values == other.values || values.equals(other.values));
    }
}

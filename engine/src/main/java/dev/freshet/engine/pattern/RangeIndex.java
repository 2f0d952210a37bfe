package dev.freshet.engine.pattern;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Ranges of a file with a value each, answering "which ranges equal this one", "which contain it"
 * and "which lie within it" without comparing against every range. Sorted by start with a running
 * maximum of ends, so a containment query stops as soon as no earlier range can reach far enough.
 */
public final class RangeIndex<T> {
    private record Entry<T>(int start, int end, T value) {
    }

    private final List<Entry<T>> entries = new ArrayList<>();
    private final Map<Long, List<T>> byRange = new HashMap<>();
    private int[] starts = new int[0];
    private int[] maxEnds = new int[0];

    public static long key(int start, int end) {
        return ((long) start << 32) | (end & 0xffffffffL);
    }

    public void add(int start, int end, T value) {
        entries.add(new Entry<>(start, end, value));
        byRange.computeIfAbsent(key(start, end), k -> new ArrayList<>()).add(value);
        starts = null;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<T> exactly(int start, int end) {
        return byRange.getOrDefault(key(start, end), List.of());
    }

    /** Calls {@code action} with the value of every range that contains {@code [start, end)}. */
    public void containing(int start, int end, Consumer<T> action) {
        anyContaining(start, end, value -> {
            action.accept(value);
            return false;
        });
    }

    public boolean anyContaining(int start, int end) {
        return anyContaining(start, end, value -> true);
    }

    /** Whether a range containing {@code [start, end)} has a value that passes {@code test}; stops at the first. */
    public boolean anyContaining(int start, int end, Predicate<T> test) {
        if (entries.isEmpty()) {
            return false;
        }
        sort();
        for (int i = lastStartingAtOrBefore(start); i >= 0 && maxEnds[i] >= end; i--) {
            Entry<T> entry = entries.get(i);
            if (entry.end >= end && test.test(entry.value)) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} with the value of every range that lies within {@code [start, end)}. */
    public void within(int start, int end, Consumer<T> action) {
        anyWithin(start, end, value -> {
            action.accept(value);
            return false;
        });
    }

    /** Whether a range within {@code [start, end)} has a value that passes {@code test}; stops at the first. */
    public boolean anyWithin(int start, int end, Predicate<T> test) {
        if (entries.isEmpty()) {
            return false;
        }
        sort();
        for (int i = lastStartingAtOrBefore(start - 1) + 1; i < starts.length && starts[i] <= end; i++) {
            Entry<T> entry = entries.get(i);
            if (entry.end <= end && test.test(entry.value)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the last entry starting at or before {@code offset}, or -1. */
    private int lastStartingAtOrBefore(int offset) {
        int low = 0;
        int high = starts.length - 1;
        int last = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= offset) {
                last = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return last;
    }

    private void sort() {
        if (starts != null) {
            return;
        }
        entries.sort(Comparator.comparingInt((Entry<T> e) -> e.start));
        starts = new int[entries.size()];
        maxEnds = new int[entries.size()];
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < entries.size(); i++) {
            starts[i] = entries.get(i).start;
            max = Math.max(max, entries.get(i).end);
            maxEnds[i] = max;
        }
    }
}

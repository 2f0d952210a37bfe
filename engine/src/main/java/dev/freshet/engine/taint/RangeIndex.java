package dev.freshet.engine.taint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Matched ranges of a file with what matched there, answering "which ranges equal this one" and
 * "which ranges contain this one". Sorted by start with a running maximum of ends, so a
 * containment query stops as soon as no earlier range can reach far enough.
 */
final class RangeIndex<T> {
    private record Entry<T>(int start, int end, T value) {
    }

    private final List<Entry<T>> entries = new ArrayList<>();
    private final Map<Long, List<T>> byRange = new HashMap<>();
    private int[] starts = new int[0];
    private int[] maxEnds = new int[0];

    static long key(int start, int end) {
        return ((long) start << 32) | (end & 0xffffffffL);
    }

    void add(int start, int end, T value) {
        entries.add(new Entry<>(start, end, value));
        byRange.computeIfAbsent(key(start, end), k -> new ArrayList<>()).add(value);
        starts = null;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<T> exactly(int start, int end) {
        return byRange.getOrDefault(key(start, end), List.of());
    }

    /** Calls {@code action} with the value of every range that contains {@code [start, end)}. */
    void containing(int start, int end, Consumer<T> action) {
        if (entries.isEmpty()) {
            return;
        }
        sort();
        int low = 0;
        int high = starts.length - 1;
        int last = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= start) {
                last = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        for (int i = last; i >= 0 && maxEnds[i] >= end; i--) {
            Entry<T> entry = entries.get(i);
            if (entry.end >= end) {
                action.accept(entry.value);
            }
        }
    }

    boolean anyContaining(int start, int end) {
        boolean[] found = {false};
        containing(start, end, v -> found[0] = true);
        return found[0];
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

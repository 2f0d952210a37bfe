package dev.freshet.engine.parse;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A tree's nodes grouped by kind, each group in preorder: the nodes sorted once by kind number (a
 * counting sort), so that a kind's nodes are a slice of one array. The numbers are a grammar's, shared by
 * all its trees, so that indexing a file builds no map of its own.
 */
final class KindIndex {
    private final Map<String, Integer> numbers;
    private final List<SyntaxNode> sorted;
    /** Kind {@code k}'s nodes are {@code sorted[starts[k] .. starts[k + 1])}. */
    private final int[] starts;

    private KindIndex(Map<String, Integer> numbers, List<SyntaxNode> sorted, int[] starts) {
        this.numbers = numbers;
        this.sorted = sorted;
        this.starts = starts;
    }

    /**
     * @param numbers each kind name's number, all below {@code kindCount}
     * @param kinds the number of the kind of each of the first {@code count} nodes in preorder
     * @param nodesAt the nodes at the given preorder positions, as a list
     */
    static KindIndex sort(Map<String, Integer> numbers, int kindCount, int[] kinds, int count, Function<int[], List<SyntaxNode>> nodesAt) {
        int[] starts = new int[kindCount + 1];
        for (int i = 0; i < count; i++) {
            starts[kinds[i] + 1]++;
        }
        for (int kind = 0; kind < kindCount; kind++) {
            starts[kind + 1] += starts[kind];
        }
        int[] sorted = new int[count];
        int[] free = Arrays.copyOf(starts, kindCount);
        for (int i = 0; i < count; i++) {
            sorted[free[kinds[i]]++] = i;
        }
        return new KindIndex(numbers, nodesAt.apply(sorted), starts);
    }

    /** The index of a tree from a parser without numbered kinds: they are numbered as first met. */
    static KindIndex of(List<SyntaxNode> preorder) {
        Map<String, Integer> numbers = new HashMap<>();
        int[] kinds = new int[preorder.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = numbers.computeIfAbsent(preorder.get(i).kind(), kind -> numbers.size());
        }
        return sort(numbers, numbers.size(), kinds, kinds.length, positions -> {
            SyntaxNode[] nodes = new SyntaxNode[positions.length];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = preorder.get(positions[i]);
            }
            return Collections.unmodifiableList(Arrays.asList(nodes));
        });
    }

    List<SyntaxNode> nodesOf(String kind) {
        Integer number = numbers.get(kind);
        return number == null ? List.of() : sorted.subList(starts[number], starts[number + 1]);
    }
}

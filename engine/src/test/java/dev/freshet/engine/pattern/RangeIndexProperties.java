package dev.freshet.engine.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The index answers every query exactly as comparing against each range would. */
class RangeIndexProperties {
    record Range(int start, int end) {
    }

    @Provide
    Arbitrary<Range> ranges() {
        // Small offsets, so equal, nested, touching and zero-width ranges are common.
        return Combinators.combine(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, 8))
                .as((start, length) -> new Range(start, start + length));
    }

    @Property(tries = 300)
    void queriesAgreeWithComparingEveryRange(@ForAll("rangeLists") List<Range> stored, @ForAll("ranges") Range query) {
        RangeIndex<Integer> index = new RangeIndex<>();
        for (int i = 0; i < stored.size(); i++) {
            index.add(stored.get(i).start(), stored.get(i).end(), i);
        }
        List<Integer> containing = new ArrayList<>();
        List<Integer> within = new ArrayList<>();
        List<Integer> equal = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            Range r = stored.get(i);
            if (r.start() <= query.start() && query.end() <= r.end()) {
                containing.add(i);
            }
            if (query.start() <= r.start() && r.end() <= query.end()) {
                within.add(i);
            }
            if (r.equals(query)) {
                equal.add(i);
            }
        }
        List<Integer> found = new ArrayList<>();
        index.containing(query.start(), query.end(), found::add);
        assertThat(found).containsExactlyInAnyOrderElementsOf(containing);
        found.clear();
        index.within(query.start(), query.end(), found::add);
        assertThat(found).containsExactlyInAnyOrderElementsOf(within);
        assertThat(index.exactly(query.start(), query.end())).containsExactlyInAnyOrderElementsOf(equal);
        assertThat(index.anyContaining(query.start(), query.end())).isEqualTo(!containing.isEmpty());
        assertThat(index.anyWithin(query.start(), query.end(), i -> i % 2 == 0))
                .isEqualTo(within.stream().anyMatch(i -> i % 2 == 0));
    }

    @Provide
    Arbitrary<List<Range>> rangeLists() {
        return ranges().list().ofMaxSize(40);
    }
}

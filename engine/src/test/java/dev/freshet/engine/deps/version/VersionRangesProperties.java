package dev.freshet.engine.deps.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code parse(format(p))} affects exactly the versions {@code p} affects, for ranges of any shape
 * (unordered events, several spans, limits, exclusive bounds) over a dense set of versions, so
 * every gap between two event versions holds versions to probe.
 */
class VersionRangesProperties {

    record Case(Ecosystem ecosystem, List<String> pool, AffectedPackage affected) {
    }

    @Property(tries = 500)
    void formatThenParseAffectsTheSameVersions(@ForAll("cases") Case c) {
        boolean affectsAny = c.pool.stream().anyMatch(c.affected::affects);
        if (!affectsAny && c.affected.versions().isEmpty()) {
            // Nothing to write unless some version outside the pool is covered; either way parse must agree.
            try {
                VersionRanges.format(c.affected);
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        String expression = VersionRanges.format(c.affected);
        VersionRanges.Parsed parsed = VersionRanges.parse(expression);
        AffectedPackage back = new AffectedPackage(c.ecosystem, "p", parsed.ranges(), parsed.versions());
        for (String version : c.pool) {
            assertThat(back.affects(version)).as("%s in %s (from %s)", version, expression, c.affected).isEqualTo(c.affected.affects(version));
        }
    }

    @Property(tries = 200)
    void nothingAffectedHasNoExpression(@ForAll("cases") Case c) {
        AffectedPackage empty = new AffectedPackage(c.ecosystem, "p",
                List.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(new Event.Fixed(c.pool.get(0))))), List.of());
        assertThatThrownBy(() -> VersionRanges.format(empty)).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(Ecosystem.NPM, Ecosystem.GO, Ecosystem.PYPI, Ecosystem.MAVEN, Ecosystem.RUBYGEMS, Ecosystem.PACKAGIST)
                .flatMap(eco -> {
                    List<String> pool = pool(eco);
                    Arbitrary<String> version = Arbitraries.of(pool);
                    Arbitrary<Event> event = Arbitraries.frequencyOf(
                            net.jqwik.api.Tuple.of(4, version.map(Event.Introduced::new)),
                            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Event.Introduced("0"))),
                            net.jqwik.api.Tuple.of(2, version.map(Event.IntroducedAfter::new)),
                            net.jqwik.api.Tuple.of(4, version.map(Event.Fixed::new)),
                            net.jqwik.api.Tuple.of(3, version.map(Event.LastAffected::new)),
                            net.jqwik.api.Tuple.of(1, version.map(Event.Limit::new)));
                    Arbitrary<AffectedRange> range = event.list().ofMinSize(1).ofMaxSize(5)
                            .map(events -> new AffectedRange(AffectedRange.Type.ECOSYSTEM, events));
                    return Combinators.combine(range.list().ofMaxSize(3), version.list().ofMaxSize(2))
                            .as((ranges, versions) -> new Case(eco, pool, new AffectedPackage(eco, "p", ranges, versions)));
                });
    }

    /** Every x.y.z for x, y, z in 0..2 plus a prerelease of each, spelled the ecosystem's way. */
    private static List<String> pool(Ecosystem eco) {
        Function<int[], List<String>> spell = switch (eco) {
            case GO -> v -> List.of("v" + dotted(v), "v" + dotted(v) + "-rc.1");
            case PYPI -> v -> List.of(dotted(v), dotted(v) + "rc1", dotted(v) + ".post1");
            case MAVEN -> v -> List.of(dotted(v), dotted(v) + "-rc1", dotted(v) + "-SNAPSHOT");
            case RUBYGEMS -> v -> List.of(dotted(v), dotted(v) + ".rc1");
            case PACKAGIST -> v -> List.of(dotted(v), dotted(v) + "-RC1");
            default -> v -> List.of(dotted(v), dotted(v) + "-beta.1");
        };
        List<String> pool = new ArrayList<>();
        for (int x = 0; x < 3; x++) for (int y = 0; y < 3; y++) for (int z = 0; z < 3; z++) {
            if (x + y + z > 0) pool.addAll(spell.apply(new int[] {x, y, z}));
        }
        return pool;
    }

    private static String dotted(int[] v) {
        return v[0] + "." + v[1] + "." + v[2];
    }
}

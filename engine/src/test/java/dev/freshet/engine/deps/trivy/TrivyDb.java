package dev.freshet.engine.deps.trivy;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.VersionRanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * Trivy's test vulnerability database (trivy-db's bolt buckets written as YAML) as Freshet
 * advisories: bucket {@code "<ecosystem>::<source>"} → package bucket → vulnerability id →
 * {@code VulnerableVersions}, {@code PatchedVersions}, {@code UnaffectedVersions}. Buckets of
 * ecosystems Freshet does not know (OS distributions, NuGet, pub…) are left out.
 *
 * <p>Trivy's rule, which the conversion keeps exactly: a version is vulnerable when it matches a
 * vulnerable constraint (or there are none) and matches no patched or unaffected constraint.
 */
final class TrivyDb {
    static final Map<String, Ecosystem> ECOSYSTEMS = Map.of("npm", Ecosystem.NPM, "pip", Ecosystem.PYPI,
            "maven", Ecosystem.MAVEN, "go", Ecosystem.GO, "cargo", Ecosystem.CRATES_IO, "composer", Ecosystem.PACKAGIST,
            "rubygems", Ecosystem.RUBYGEMS);

    private TrivyDb() {
    }

    static List<Advisory> load(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        List<Advisory> advisories = new ArrayList<>();
        for (Path file : files) {
            try {
                advisories.addAll(read(Files.readString(file)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return advisories;
    }

    /** One fixture file's advisories, one per (source, package, vulnerability). */
    static List<Advisory> read(String yaml) {
        List<Advisory> advisories = new ArrayList<>();
        Object document = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build()).loadFromString(yaml);
        for (Map<?, ?> source : maps(document)) {
            String bucket = String.valueOf(source.get("bucket"));
            int sep = bucket.indexOf("::");
            Ecosystem ecosystem = sep < 0 ? null : ECOSYSTEMS.get(bucket.substring(0, sep));
            if (ecosystem == null) continue;
            for (Map<?, ?> pkg : maps(source.get("pairs"))) {
                String name = String.valueOf(pkg.get("bucket"));
                for (Map<?, ?> pair : maps(pkg.get("pairs"))) {
                    Map<?, ?> value = pair.get("value") instanceof Map<?, ?> m ? m : Map.of();
                    List<String> secure = new ArrayList<>(strings(value.get("PatchedVersions")));
                    secure.addAll(strings(value.get("UnaffectedVersions")));
                    AffectedPackage affected = affected(ecosystem, name, strings(value.get("VulnerableVersions")), secure);
                    advisories.add(new Advisory(String.valueOf(pair.get("key")), List.of(), "", null, Instant.EPOCH, null,
                            List.of(affected), List.of(), List.of(), null));
                }
            }
        }
        return advisories;
    }

    /** The versions Trivy's {@code IsVulnerable} calls vulnerable, as OSV ranges. */
    static AffectedPackage affected(Ecosystem ecosystem, String name, List<String> vulnerable, List<String> secure) {
        Intervals algebra = new Intervals(ecosystem.comparator());
        List<Interval> everything = List.of(new Interval(null, null));
        // Trivy treats an empty constraint string as "detect anyway".
        if (Stream.concat(vulnerable.stream(), secure.stream()).anyMatch(String::isBlank)) {
            return toPackage(ecosystem, name, everything);
        }
        List<Interval> affected = vulnerable.isEmpty() ? everything : intervals(vulnerable);
        if (!secure.isEmpty()) {
            affected = algebra.intersect(affected, algebra.complement(intervals(secure)));
        }
        return toPackage(ecosystem, name, affected);
    }

    /** A lower ({@code >=}/{@code >}) or upper ({@code <=}/{@code <}) bound; null stands for none. */
    record Bound(String version, boolean inclusive) {
    }

    record Interval(Bound lower, Bound upper) {
    }

    private static List<Interval> intervals(List<String> expressions) {
        List<Interval> intervals = new ArrayList<>();
        for (String expression : expressions) {
            VersionRanges.Parsed parsed = VersionRanges.parse(expression);
            for (AffectedRange range : parsed.ranges()) {
                Bound lower = null, upper = null;
                for (Event event : range.events()) {
                    switch (event) {
                        case Event.Introduced e -> lower = AffectedRange.isZero(e) ? null : new Bound(e.version(), true);
                        case Event.IntroducedAfter e -> lower = new Bound(e.version(), false);
                        case Event.Fixed e -> upper = new Bound(e.version(), false);
                        case Event.LastAffected e -> upper = new Bound(e.version(), true);
                        case Event.Limit e -> throw new IllegalStateException("parse makes no limits");
                    }
                }
                intervals.add(new Interval(lower, upper));
            }
            parsed.versions().forEach(v -> intervals.add(new Interval(new Bound(v, true), new Bound(v, true))));
        }
        return intervals;
    }

    private static AffectedPackage toPackage(Ecosystem ecosystem, String name, List<Interval> intervals) {
        List<AffectedRange> ranges = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (Interval i : intervals) {
            if (i.lower != null && i.upper != null && i.lower.inclusive && i.upper.inclusive
                    && ecosystem.compare(i.lower.version, i.upper.version) == 0) {
                versions.add(i.lower.version);
                continue;
            }
            List<Event> events = new ArrayList<>();
            events.add(i.lower == null ? new Event.Introduced("0")
                    : i.lower.inclusive ? new Event.Introduced(i.lower.version) : new Event.IntroducedAfter(i.lower.version));
            if (i.upper != null) {
                events.add(i.upper.inclusive ? new Event.LastAffected(i.upper.version) : new Event.Fixed(i.upper.version));
            }
            ranges.add(new AffectedRange(AffectedRange.Type.ECOSYSTEM, events));
        }
        return new AffectedPackage(ecosystem, name, ranges, versions);
    }

    /** Unions of intervals over one ecosystem's version order. */
    record Intervals(Comparator<String> order) {
        /** Lower bounds by where they start: none first, then by version, {@code >=} before {@code >}. */
        int compareLower(Bound a, Bound b) {
            if (a == null || b == null) return a == b ? 0 : a == null ? -1 : 1;
            int c = order.compare(a.version, b.version);
            return c != 0 ? c : Boolean.compare(!a.inclusive, !b.inclusive);
        }

        /** Upper bounds by where they end: {@code <} before {@code <=}, none last. */
        int compareUpper(Bound a, Bound b) {
            if (a == null || b == null) return a == b ? 0 : a == null ? 1 : -1;
            int c = order.compare(a.version, b.version);
            return c != 0 ? c : Boolean.compare(a.inclusive, b.inclusive);
        }

        boolean isEmpty(Interval i) {
            if (i.lower == null || i.upper == null) return false;
            int c = order.compare(i.lower.version, i.upper.version);
            return c > 0 || c == 0 && !(i.lower.inclusive && i.upper.inclusive);
        }

        /** Everything outside the union: the gaps between the intervals sorted by where they start. */
        List<Interval> complement(List<Interval> union) {
            List<Interval> sorted = new ArrayList<>(union);
            sorted.sort((a, b) -> compareLower(a.lower, b.lower));
            List<Interval> gaps = new ArrayList<>();
            Bound uncoveredFrom = null; // null: from the very start
            for (Interval i : sorted) {
                if (i.lower != null) {
                    Interval gap = new Interval(uncoveredFrom, flip(i.lower));
                    if (!isEmpty(gap)) gaps.add(gap);
                }
                if (i.upper == null) return gaps;
                Bound after = flip(i.upper); // the first version past this interval; null sorts as the very start
                if (compareLower(after, uncoveredFrom) > 0) uncoveredFrom = after;
            }
            gaps.add(new Interval(uncoveredFrom, null));
            return gaps;
        }

        List<Interval> intersect(List<Interval> a, List<Interval> b) {
            List<Interval> out = new ArrayList<>();
            for (Interval x : a) {
                for (Interval y : b) {
                    Interval both = new Interval(compareLower(x.lower, y.lower) >= 0 ? x.lower : y.lower,
                            compareUpper(x.upper, y.upper) <= 0 ? x.upper : y.upper);
                    if (!isEmpty(both)) out.add(both);
                }
            }
            return out;
        }

        /** The bound on the other side of the same point: {@code >= v} becomes {@code < v}, {@code <= v} becomes {@code > v}. */
        private static Bound flip(Bound bound) {
            return new Bound(bound.version, !bound.inclusive);
        }
    }

    private static List<Map<?, ?>> maps(Object node) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (node instanceof List<?> list) list.forEach(item -> {
            if (item instanceof Map<?, ?> m) out.add(m);
        });
        return out;
    }

    private static List<String> strings(Object node) {
        return node instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}

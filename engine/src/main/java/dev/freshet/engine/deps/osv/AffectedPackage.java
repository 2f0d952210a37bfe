package dev.freshet.engine.deps.osv;

import dev.freshet.engine.deps.version.Ecosystem;
import java.util.List;

/**
 * One OSV {@code affected[]} entry: a package, the ranges of its versions an advisory covers, and
 * versions it lists one by one.
 */
public record AffectedPackage(Ecosystem ecosystem, String name, List<AffectedRange> ranges, List<String> versions) {

    public AffectedPackage {
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
    }

    /** Whether {@code version} of this package is affected: listed, or inside any range. */
    public boolean affects(String version) {
        boolean listed = versions.stream().anyMatch(v -> v.equals(version)
                || ecosystem.isValid(v) && ecosystem.isValid(version) && ecosystem.compare(v, version) == 0);
        return listed || ranges.stream().anyMatch(range -> range.contains(version, ecosystem));
    }
}

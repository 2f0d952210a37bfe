package dev.freshet.engine.deps.osv;

import dev.freshet.engine.deps.version.Ecosystem;
import java.util.List;

/**
 * One OSV {@code affected[]} entry: a package, the ranges of its versions an advisory covers,
 * versions it lists one by one, and, where the advisory names them, the vulnerable symbols.
 *
 * @param imports the import paths and the functions in them that carry the flaw (the Go database's
 *                {@code ecosystem_specific.imports}); empty when the advisory does not say
 */
public record AffectedPackage(Ecosystem ecosystem, String name, List<AffectedRange> ranges, List<String> versions,
                              List<VulnerableImport> imports) {

    /** An import path of the package and the functions or methods in it that are vulnerable. */
    public record VulnerableImport(String path, List<String> symbols) {
        public VulnerableImport {
            symbols = List.copyOf(symbols);
        }
    }

    public AffectedPackage {
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
        imports = List.copyOf(imports);
    }

    public AffectedPackage(Ecosystem ecosystem, String name, List<AffectedRange> ranges, List<String> versions) {
        this(ecosystem, name, ranges, versions, List.of());
    }

    /** Whether {@code version} of this package is affected: listed, or inside any range. */
    public boolean affects(String version) {
        boolean listed = versions.stream().anyMatch(v -> v.equals(version)
                || ecosystem.isValid(v) && ecosystem.isValid(version) && ecosystem.compare(v, version) == 0);
        return listed || ranges.stream().anyMatch(range -> range.contains(version, ecosystem));
    }
}

package dev.freshet.engine.deps.version;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** The package ecosystems whose versions Freshet can order, each with its own scheme. */
public enum Ecosystem {
    NPM("npm", SemVer.NPM),
    CRATES_IO("crates.io", SemVer.CARGO),
    GO("Go", SemVer.GO),
    PYPI("PyPI", Pep440Version.SCHEME),
    MAVEN("Maven", MavenVersion.SCHEME),
    RUBYGEMS("RubyGems", GemVersion.SCHEME),
    PACKAGIST("Packagist", ComposerVersion.SCHEME);

    private final String osvName;
    private final VersionScheme<?> scheme;

    Ecosystem(String osvName, VersionScheme<?> scheme) {
        this.osvName = osvName;
        this.scheme = scheme;
    }

    /** The ecosystem's name as OSV records spell it ({@code affected[].package.ecosystem}). */
    public String osvName() {
        return osvName;
    }

    public VersionScheme<?> scheme() {
        return scheme;
    }

    public boolean isValid(String version) {
        return scheme.isValid(version);
    }

    public int compare(String a, String b) {
        return scheme.compare(a, b);
    }

    public Comparator<String> comparator() {
        return scheme.comparator();
    }

    /** Case-insensitive lookup by OSV name or enum name; OSV suffixes such as {@code Go:stdlib}-style ":x" are ignored. */
    public static Optional<Ecosystem> fromName(String name) {
        if (name == null) return Optional.empty();
        String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        return Arrays.stream(values())
                .filter(e -> e.osvName.equalsIgnoreCase(base) || e.name().equalsIgnoreCase(base))
                .findFirst();
    }
}

package dev.freshet.engine.deps.version;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** The package ecosystems whose versions Freshet can order, each with its own scheme. */
public enum Ecosystem {
    NPM("npm", "npm", SemVer.NPM),
    CRATES_IO("crates.io", "cargo", SemVer.CARGO),
    GO("Go", "gomod", SemVer.GO),
    PYPI("PyPI", "pypi", PythonVersion.SCHEME),
    MAVEN("Maven", "maven", MavenVersion.SCHEME),
    RUBYGEMS("RubyGems", "gem", GemVersion.SCHEME),
    PACKAGIST("Packagist", "composer", ComposerVersion.SCHEME);

    private final String osvName;
    private final String namespace;
    private final VersionScheme<?> scheme;

    Ecosystem(String osvName, String namespace, VersionScheme<?> scheme) {
        this.osvName = osvName;
        this.namespace = namespace;
        this.scheme = scheme;
    }

    /** The ecosystem's name in Semgrep dependency rules ({@code r2c-internal-project-depends-on.namespace}). */
    public String namespace() {
        return namespace;
    }

    public static Optional<Ecosystem> fromNamespace(String namespace) {
        return Arrays.stream(values()).filter(e -> e.namespace.equalsIgnoreCase(namespace)).findFirst();
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

package dev.freshet.engine.deps.version;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SemVer 2.0 version. Ordering follows semver.org §11: core numbers numerically, a prerelease
 * below its release, prerelease identifiers numeric-below-alphanumeric, build metadata ignored (so
 * {@code compareTo} is coarser than {@code equals}, which does see the build).
 */
public record SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> prerelease, String build)
        implements Comparable<SemVer> {

    public SemVer {
        prerelease = List.copyOf(prerelease);
        build = build == null ? "" : build;
    }

    /** npm: node-semver's loose reading tolerates surrounding spaces and a leading {@code v} or {@code =}. */
    public static final VersionScheme<SemVer> NPM = new Scheme("npm", Flavor.NPM);
    /**
     * crates.io: Cargo's semver crate is strict — exactly three parts — except that a leading
     * {@code v} is tolerated, as OSV tooling reads one; it changes no order among Cargo's versions.
     */
    public static final VersionScheme<SemVer> CARGO = new Scheme("crates.io", Flavor.CARGO);
    /**
     * Go modules: {@code v} prefix (optional, because OSV records drop it), the {@code vX}/{@code vX.Y}
     * shorthands of golang.org/x/mod/semver; pseudo-versions are ordinary prereleases and
     * {@code +incompatible} is build metadata, so both order correctly without special cases.
     */
    public static final VersionScheme<SemVer> GO = new Scheme("Go", Flavor.GO);

    private static final String NUM = "0|[1-9]\\d*";
    private static final String IDENT = "(?:" + NUM + "|\\d*[A-Za-z-][0-9A-Za-z-]*)";
    private static final Pattern STRICT = Pattern.compile("(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")"
            + "(?:-(" + IDENT + "(?:\\." + IDENT + ")*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");
    private static final Pattern GO_SHORT = Pattern.compile("(" + NUM + ")(?:\\.(" + NUM + "))?");
    private static final Pattern PSEUDO = Pattern.compile(
            "v?\\d+\\.(?:0\\.0-|\\d+\\.\\d+-(?:[^+]*\\.)?0\\.)\\d{14}-[A-Za-z0-9]+(?:\\+.*)?");

    private enum Flavor { NPM, CARGO, GO }

    private record Scheme(String name, Flavor flavor) implements VersionScheme<SemVer> {
        @Override
        public Optional<SemVer> parse(String text) {
            if (text == null) return Optional.empty();
            String s = text;
            if (flavor == Flavor.NPM) s = s.strip().replaceFirst("^=?\\s*[vV]?", "");
            if (flavor != Flavor.NPM && s.startsWith("v")) s = s.substring(1);
            Matcher m = STRICT.matcher(s);
            if (m.matches()) {
                List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
                return Optional.of(new SemVer(big(m.group(1)), big(m.group(2)), big(m.group(3)), pre, m.group(5)));
            }
            Matcher shorthand = GO_SHORT.matcher(s);
            if (flavor == Flavor.GO && shorthand.matches()) {
                String minor = shorthand.group(2) == null ? "0" : shorthand.group(2);
                return Optional.of(new SemVer(big(shorthand.group(1)), big(minor), BigInteger.ZERO, List.of(), ""));
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static BigInteger big(String digits) {
        return new BigInteger(digits);
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** Whether this is a Go pseudo-version ({@code vX.Y.Z-[pre.]0.yyyymmddhhmmss-commit} and kin). */
    public boolean isGoPseudoVersion() {
        return PSEUDO.matcher(toString()).matches();
    }

    @Override
    public int compareTo(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) c = minor.compareTo(o.minor);
        if (c == 0) c = patch.compareTo(o.patch);
        if (c != 0) return c;
        if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
            return Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty()); // release > prerelease
        }
        for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
            c = compareIdentifier(prerelease.get(i), o.prerelease.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(prerelease.size(), o.prerelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit), bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) return new BigInteger(a).compareTo(new BigInteger(b));
        if (an != bn) return an ? -1 : 1; // numeric identifiers sort below alphanumeric ones
        return a.compareTo(b); // ASCII order, as the spec says
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + String.join(".", prerelease))
                + (build.isEmpty() ? "" : "+" + build);
    }
}

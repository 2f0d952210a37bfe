package dev.freshet.engine.deps.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every scheme must be a total order on the versions it accepts — otherwise sorting and range
 * checks silently misbehave. Generators deliberately mix the tricky parts (prereleases, qualifiers,
 * separators, trailing zeros) so that equal-but-differently-spelled versions come up often.
 */
class VersionOrderProperties {

    private static void assertTotalOrder(Ecosystem eco, String a, String b, String c) {
        int ab = eco.compare(a, b), bc = eco.compare(b, c), ac = eco.compare(a, c);
        assertThat(eco.compare(a, a)).as("reflexive %s", a).isZero();
        assertThat(eco.compare(b, a)).as("antisymmetric %s %s", a, b).isEqualTo(-ab);
        if (ab <= 0 && bc <= 0) assertThat(ac).as("transitive %s <= %s <= %s", a, b, c).isLessThanOrEqualTo(0);
        if (ab == 0) assertThat(ac).as("%s = %s so both compare alike to %s", a, b, c).isEqualTo(bc);
    }

    @Property
    void npm(@ForAll("semver") String a, @ForAll("semver") String b, @ForAll("semver") String c) {
        assertTotalOrder(Ecosystem.NPM, "v" + a, "=" + b, c);
    }

    @Property
    void cratesIo(@ForAll("semver") String a, @ForAll("semver") String b, @ForAll("semver") String c) {
        assertTotalOrder(Ecosystem.CRATES_IO, "v" + a, b, c);
    }

    @Property
    void go(@ForAll("go") String a, @ForAll("go") String b, @ForAll("go") String c) {
        assertTotalOrder(Ecosystem.GO, a, b, c);
    }

    @Property
    void pypi(@ForAll("pep440") String a, @ForAll("pep440") String b, @ForAll("pep440") String c) {
        assertTotalOrder(Ecosystem.PYPI, a, b, c);
    }

    @Property
    void pypiWithLegacyVersions(@ForAll("pypiAny") String a, @ForAll("pypiAny") String b, @ForAll("pypiAny") String c) {
        assertTotalOrder(Ecosystem.PYPI, a, b, c);
    }

    /**
     * ComparableVersion itself is not transitive once qualifiers follow dots ({@code 0.foo > 0},
     * {@code 0.foo < 0.foo.0 < 0}), and osv-scanner's fixtures encode that behaviour, so transitivity
     * is asserted for dash-separated qualifiers; antisymmetry for everything.
     */
    @Property
    void maven(@ForAll("maven") String a, @ForAll("maven") String b, @ForAll("maven") String c) {
        assertTotalOrder(Ecosystem.MAVEN, a, b, c);
    }

    @Property
    void mavenIsAntisymmetric(@ForAll("mavenAny") String a, @ForAll("mavenAny") String b) {
        assertThat(Ecosystem.MAVEN.compare(a, a)).isZero();
        assertThat(Ecosystem.MAVEN.compare(b, a)).isEqualTo(-Ecosystem.MAVEN.compare(a, b));
    }

    @Property
    void rubygems(@ForAll("gem") String a, @ForAll("gem") String b, @ForAll("gem") String c) {
        assertTotalOrder(Ecosystem.RUBYGEMS, a, b, c);
    }

    @Property
    void packagist(@ForAll("composer") String a, @ForAll("composer") String b, @ForAll("composer") String c) {
        assertTotalOrder(Ecosystem.PACKAGIST, a, b, c);
    }

    /** Garbage in never crashes parsing: it is either a version or a clear "no". */
    @Property
    void parsingNeverThrows(@ForAll String text) {
        for (Ecosystem eco : Ecosystem.values()) {
            assertThatCode(() -> eco.scheme().parse(text)).as("%s parsing '%s'", eco, text).doesNotThrowAnyException();
        }
    }

    private static Arbitrary<String> num() {
        return Arbitraries.of("0", "1", "2", "9", "10", "11");
    }

    private static Arbitrary<String> opt(Arbitrary<String> a) {
        return Arbitraries.oneOf(Arbitraries.just(""), a);
    }

    @Provide
    Arbitrary<String> semver() {
        Arbitrary<String> id = Arbitraries.of("0", "1", "2", "10", "alpha", "beta", "rc", "a-1", "Z", "x1");
        Arbitrary<String> pre = id.list().ofMinSize(1).ofMaxSize(3).map(l -> "-" + String.join(".", l));
        return Combinators.combine(num(), num(), num(), opt(pre), opt(Arbitraries.of("+b1", "+build.7")))
                .as((x, y, z, p, b) -> x + "." + y + "." + z + p + b);
    }

    @Provide
    Arbitrary<String> go() {
        Arbitrary<String> pseudo = Combinators.combine(num(), Arbitraries.of("", "pre.0.", "0."), Arbitraries.integers().between(0, 3))
                .as((x, p, d) -> "v1." + x + ".0-" + p + "2019110902193" + d + "-daa7c04131f5");
        return Arbitraries.oneOf(semver().map(s -> "v" + s), semver().map(s -> "v" + s.replaceFirst("\\+.*", "") + "+incompatible"), pseudo,
                num().map(n -> "v" + n), Combinators.combine(num(), num()).as((x, y) -> "v" + x + "." + y));
    }

    @Provide
    Arbitrary<String> pep440() {
        Arbitrary<String> release = num().list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
        Arbitrary<String> pre = Combinators.combine(Arbitraries.of("a", "b", "rc", "c", "alpha", "-beta", ".pre", "preview"),
                opt(num())).as(String::concat);
        Arbitrary<String> post = Arbitraries.of(".post1", ".post0", "-1", "-2", "rev3", ".r");
        Arbitrary<String> dev = Arbitraries.of(".dev0", ".dev1", "-dev", "dev2");
        Arbitrary<String> local = Arbitraries.of("+1", "+a", "+1.a", "+a.1", "+ubuntu-2", "+2");
        return Combinators.combine(opt(Arbitraries.of("1!", "0!")), release, opt(pre), opt(post), opt(dev), opt(local))
                .as((e, r, p, po, d, l) -> e + r + p + po + d + l);
    }

    /** PEP 440 versions mixed with legacy ones such as {@code 1.0-foo} or {@code 2.x-dev}. */
    @Provide
    Arbitrary<String> pypiAny() {
        return Arbitraries.oneOf(pep440(), joined(Arbitraries.of("0", "1", "10", "x", "foo", "dev", "rc", "pre", "a", "final", "_"),
                List.of(".", "-", "")));
    }

    private static Arbitrary<String> joined(Arbitrary<String> tokens, List<String> separators) {
        Arbitrary<String> piece = Combinators.combine(Arbitraries.of(separators), tokens).as(String::concat);
        return Combinators.combine(num(), piece.list().ofMaxSize(4)).as((first, rest) -> first + String.join("", rest));
    }

    @Provide
    Arbitrary<String> maven() {
        Arbitrary<String> numbers = num().list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> qualifier = Arbitraries.of("-alpha", "-beta-2", "-a1", "-M2", "-rc", "-CR1", "-SNAPSHOT", "-ga",
                "-final", "-sp", "-foo", "-1", "-0", "-2-rc");
        return Combinators.combine(numbers, qualifier.list().ofMaxSize(2)).as((n, q) -> n + String.join("", q));
    }

    @Provide
    Arbitrary<String> mavenAny() {
        return joined(Arbitraries.of("0", "1", "2", "10", "alpha", "beta", "a1", "M2", "rc", "CR", "snapshot", "ga",
                "final", "sp", "foo", "RELEASE"), List.of(".", "-", ""));
    }

    @Provide
    Arbitrary<String> gem() {
        return joined(Arbitraries.of("0", "1", "2", "10", "a", "b", "rc1", "pre", "beta2", "0a"), List.of("."))
                .flatMap(v -> opt(Arbitraries.of("-1", "-pre.2", "-a")).map(v::concat));
    }

    @Provide
    Arbitrary<String> composer() {
        return opt(Arbitraries.just("v")).flatMap(v -> joined(Arbitraries.of("0", "1", "2", "10", "dev", "alpha1", "a2",
                "beta", "b1", "RC1", "rc2", "stable", "patch1", "pl2", "p", "foo"), List.of(".", "-", "_", "+", ""))
                .map(v::concat));
    }
}

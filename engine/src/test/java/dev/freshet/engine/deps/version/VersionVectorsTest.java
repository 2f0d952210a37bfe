package dev.freshet.engine.deps.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hand-written comparison vectors per ecosystem, taken from each scheme's specification. Each line
 * "a OP b" is checked both ways round (so "a < b" also asserts "b > a").
 */
class VersionVectorsTest {

    private static Stream<DynamicTest> vectors(Ecosystem eco, String lines) {
        return lines.lines().map(String::strip).filter(l -> !l.isEmpty()).map(line -> {
            String[] f = line.split(" +");
            int expected = switch (f[1]) { case "<" -> -1; case ">" -> 1; default -> 0; };
            return DynamicTest.dynamicTest(eco.osvName() + ": " + line, () -> {
                assertThat(eco.compare(f[0], f[2])).as(line).isEqualTo(expected);
                assertThat(eco.compare(f[2], f[0])).as("reversed " + line).isEqualTo(-expected);
            });
        });
    }

    private static Stream<DynamicTest> invalid(Ecosystem eco, String... texts) {
        return Arrays.stream(texts).map(text -> DynamicTest.dynamicTest(eco.osvName() + " rejects '" + text + "'", () -> {
            assertThat(eco.scheme().parse(text)).isEmpty();
            assertThat(eco.isValid(text)).isFalse();
            assertThatThrownBy(() -> eco.compare(text, "1.0.0"))
                    .isInstanceOf(VersionScheme.InvalidVersionException.class)
                    .hasMessageContaining("not a valid " + eco.osvName() + " version");
        }));
    }

    @TestFactory
    Stream<DynamicTest> npm() {
        return Stream.concat(vectors(Ecosystem.NPM, """
                0.0.1 < 0.1.0
                0.9.0 < 0.10.0
                1.9.9 < 1.10.0
                1.2.3 < 1.2.4
                10.0.0 > 9.99.99
                2.0.0-alpha > 1.99.99
                1.2.3-0 < 1.2.3
                1.2.3-alpha < 1.2.3-alpha.0
                1.2.3-alpha.9 < 1.2.3-alpha.10
                1.2.3-alpha.10 < 1.2.3-alpha.x
                1.2.3-1 < 1.2.3-a
                1.2.3-0.3.7 < 1.2.3-alpha
                1.2.3-beta < 1.2.3-rc
                1.2.3-rc.1 < 1.2.3
                1.2.3-Z < 1.2.3-a
                1.2.3-a-b > 1.2.3-a.b
                1.0.0-x.7.z.92 > 1.0.0-x.7.z.91
                1.2.3+build.5 = 1.2.3+other
                1.2.3-rc.1+b1 = 1.2.3-rc.1+b2
                1.2.3-rc.1+b1 < 1.2.3
                v1.2.3 = 1.2.3
                =1.2.3 = 1.2.3
                =v1.2.3 = 1.2.3
                V1.2.3 < 1.2.4
                """), invalid(Ecosystem.NPM, "", "1", "1.2", "1.2.3.4", "1.2.3-", "1.2.3-01", "1.2.3+", "a.b.c", "1.2.3-a..b", null));
    }

    @Test
    void npmToleratesSurroundingSpace() {
        assertThat(Ecosystem.NPM.compare("  v1.2.3 ", "1.2.3")).isZero();
        assertThat(SemVer.NPM.parseOrThrow(" =1.2.3-rc.1+b ").toString()).isEqualTo("1.2.3-rc.1+b");
    }

    @TestFactory
    Stream<DynamicTest> cratesIo() {
        return Stream.concat(vectors(Ecosystem.CRATES_IO, """
                0.1.0 < 0.1.1
                0.1.10 > 0.1.9
                1.0.0-alpha.1 < 1.0.0-alpha.beta
                1.0.0-beta.2 < 1.0.0-beta.11
                1.0.0-rc.1 < 1.0.0
                1.0.0+20240101 = 1.0.0
                18446744073709551616.0.0 > 18446744073709551615.0.0
                v1.2.3 = 1.2.3
                v1.2.3-beta < 1.2.3
                """), invalid(Ecosystem.CRATES_IO, "=1.2.3", "vv1.2.3", "V1.2.3", "1.2", "01.2.3", "1.02.3", "1.2.3-01", " 1.2.3"));
    }

    @TestFactory
    Stream<DynamicTest> go() {
        return Stream.concat(vectors(Ecosystem.GO, """
                v1.2.3 < v1.2.4
                v1.10.0 > v1.9.0
                v1.2.3-pre < v1.2.3
                v0.0.0-20191109021931-daa7c04131f5 < v0.0.0-20200101000000-aaaaaaaaaaaa
                v0.0.0-20191109021931-daa7c04131f5 < v0.0.1
                v0.0.0-20191109021931-daa7c04131f5 < v0.1.0-beta
                v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5
                v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4
                v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4-alpha
                v1.2.4-pre.0.20191109021931-daa7c04131f5 > v1.2.4-pre
                v1.2.4-pre.0.20191109021931-daa7c04131f5 < v1.2.4-pre.1
                v2.0.0+incompatible > v1.9.9
                v2.0.0+incompatible = v2.0.0
                v2.0.1+incompatible > v2.0.0+incompatible
                v1 = v1.0.0
                v1.2 = v1.2.0
                v1.2 < v1.2.1
                1.2.3 = v1.2.3
                """), invalid(Ecosystem.GO, "", "v1.2.3.4", "v01.2.3", "latest", "v1.2-pre", "vv1.2.3", "=1.2.3"));
    }

    @Test
    void goRecognisesPseudoVersions() {
        assertThat(SemVer.GO.parseOrThrow("v0.0.0-20191109021931-daa7c04131f5").isGoPseudoVersion()).isTrue();
        assertThat(SemVer.GO.parseOrThrow("v1.2.4-0.20191109021931-daa7c04131f5").isGoPseudoVersion()).isTrue();
        assertThat(SemVer.GO.parseOrThrow("v1.2.4-pre.0.20191109021931-daa7c04131f5+incompatible").isGoPseudoVersion()).isTrue();
        assertThat(SemVer.GO.parseOrThrow("v1.2.4-pre").isGoPseudoVersion()).isFalse();
        assertThat(SemVer.GO.parseOrThrow("v1.2.4").isGoPseudoVersion()).isFalse();
    }

    @TestFactory
    Stream<DynamicTest> pypi() {
        return Stream.concat(vectors(Ecosystem.PYPI, """
                1.0 = 1.0.0
                1.0.0.0 = 1
                1.11 > 1.9
                2.0.0 > 1.99999
                1.0a1 < 1.0a2
                1.0a2 < 1.0b1
                1.0b2 < 1.0rc1
                1.0rc1 < 1.0
                1.0 < 1.0.post1
                1.0.dev1 < 1.0a1
                1.0.dev1 < 1.0.dev2
                1.0a1.dev1 < 1.0a1
                1.0a1 < 1.0a1.post1
                1.0a1.post1.dev1 < 1.0a1.post1
                1.0.post1.dev1 < 1.0.post1
                1.0.post1.dev1 > 1.0
                1.0.post1 < 1.0.post2
                1.0.post2 < 1.1.dev1
                1!0.1 > 2.0
                0!1.0 = 1.0
                1.0.0-alpha1 = 1.0.0a1
                1.0-ALPHA-1 = 1.0a1
                1.0RC1 = 1.0rc1
                1.0c1 = 1.0rc1
                1.0pre1 = 1.0rc1
                1.0preview2 = 1.0rc2
                1.0-beta.2 = 1.0b2
                1.0a = 1.0a0
                1.0-1 = 1.0.post1
                1.0.rev1 = 1.0.post1
                1.0r = 1.0.post0
                1.0-dev = 1.0.dev0
                1.0_DEV_3 = 1.0.dev3
                v1.0 = 1.0
                1.0+local > 1.0
                1.0+abc < 1.0+5
                1.0+1.2 < 1.0+1.10
                1.0+ubuntu-1 = 1.0+ubuntu.1
                1.0+1 < 1.0+1.a
                1.0+local < 1.0.post1
                """), invalid(Ecosystem.PYPI, "", "1.0 beta", "1.0\u0000", null));
    }

    /** Text that is not PEP 440 gets setuptools' old order, below every PEP 440 version (as PyPI and OSV sort). */
    @TestFactory
    Stream<DynamicTest> pypiLegacy() {
        return vectors(Ecosystem.PYPI, """
                1.0-bulbasaur < 0.1
                abc < 0.0.dev0
                1.0a1b1 < 0!0
                0.1-bulbasaur < 0.1-charmander
                0.9-doduo > 0.1-charmander
                1.0.X = 1.0.x
                1.0.x-dev < 1.0.x
                1.0.x-rc1 < 1.0.x
                1.0.x-pre1 = 1.0.x-rc1
                1.0.x-a < 1.0.x-b
                1.0.x < 1.0.x-openbsd
                1.0.x.0 = 1.0.x
                1.0.0.x = 1.x
                1.0.x-2 < 1.0.x-10
                1..0 < 1.0.dev0
                """);
    }

    @Test
    void pypiKeepsLegacyVersionsApart() {
        assertThat(PythonVersion.parse("0.9-doduo")).containsInstanceOf(LegacyPythonVersion.class);
        assertThat(PythonVersion.parse("1.0-1")).containsInstanceOf(Pep440Version.class);
        assertThat(Pep440Version.parse("0.9-doduo")).isEmpty();
        assertThat(PythonVersion.parse("1.0.x-rc1").orElseThrow().isPrerelease()).isFalse(); // as packaging says of legacy versions
    }

    @Test
    void pypiNormalizes() {
        assertThat(Pep440Version.parse("1.0.0-ALPHA.1")).hasValueSatisfying(v -> assertThat(v).hasToString("1.0.0a1"));
        assertThat(Pep440Version.parse(" 1!2.0-dev ")).hasValueSatisfying(v -> assertThat(v).hasToString("1!2.0.dev0"));
        assertThat(Pep440Version.parse("1.0-1")).hasValueSatisfying(v -> assertThat(v).hasToString("1.0.post1"));
        assertThat(Pep440Version.parse("1.0+Ubuntu-1")).hasValueSatisfying(v -> assertThat(v).hasToString("1.0+ubuntu.1"));
        assertThat(Pep440Version.parse("1.0rc1").orElseThrow().isPrerelease()).isTrue();
        assertThat(Pep440Version.parse("1.0.post1").orElseThrow().isPrerelease()).isFalse();
    }

    @TestFactory
    Stream<DynamicTest> maven() {
        return Stream.concat(vectors(Ecosystem.MAVEN, """
                1 = 1.0
                1 = 1.0.0
                1 = 1-0
                1-ga = 1
                1-final = 1
                1-release = 1
                1.0-GA = 1
                1.0.0.RELEASE = 1
                1.0.0.Final = 1.0
                1-alpha < 1-beta
                1-beta < 1-milestone
                1-milestone < 1-rc
                1-rc = 1-cr
                1-rc < 1-snapshot
                1-snapshot < 1
                1 < 1-sp
                1-sp < 1-foo
                1-foo < 1-zzz
                1-a > 1
                1-sp < 1.1
                1-alpha1 = 1-alpha-1
                1-a1 = 1-alpha-1
                1-b2 = 1-beta-2
                1-m3 = 1-milestone-3
                1.0-alpha-1 < 1.0-alpha-2
                1.0-alpha-10 > 1.0-alpha-9
                1.0-RC1 < 1.0
                1.0-SNAPSHOT < 1.0
                1.0-rc1-SNAPSHOT < 1.0-rc1
                1-1 > 1
                1-1 < 1.1
                1.2 < 1.10
                1.0.1 > 1
                2 > 1.9.9
                1.0.0-SNAPSHOT > 1.0.0-RC2
                2.13.4.2 > 2.13.4
                1-ga-1 = 1-1
                1-final-1 = 1-1
                1-0-2 = 1-2
                1-sp-1 < 1-ga-1
                """), invalid(Ecosystem.MAVEN, "", "   ", null));
    }

    @Test
    void mavenCanonicalForm() {
        assertThat(MavenVersion.parse("1.0.0-SNAPSHOT").orElseThrow().canonical()).isEqualTo("1-snapshot");
        assertThat(MavenVersion.parse("1.0-alpha1").orElseThrow().canonical()).isEqualTo("1-alpha-1");
        assertThat(MavenVersion.parse("1.0.0.Final").orElseThrow().canonical()).isEqualTo("1");
    }

    @TestFactory
    Stream<DynamicTest> rubygems() {
        return Stream.concat(vectors(Ecosystem.RUBYGEMS, """
                1.0 = 1
                1.0.0 = 1
                1.2.3 < 1.2.10
                1.10 > 1.9
                1.0.a < 1.0
                1.0.a < 1.0.b
                1.0.a1 = 1.0.a.1
                1.0.rc1 < 1.0
                1.0.rc1 > 1.0.beta2
                1.0.pre < 1.0.rc
                1.0-1 < 1.0
                1.0-1 = 1.0.pre.1
                0.9 < 1.0.a
                1.0.a.0 = 1.0.a
                1.0.0.a = 1.0.a
                2 > 1.99.a
                1.0.b1 > 1.0.a2
                1.0.0.1 > 1
                """), invalid(Ecosystem.RUBYGEMS, "1..2", "a.b", "1.0 beta", "-1", ".1", "1.0.", null));
    }

    @Test
    void rubygemsPrereleaseAndBlank() {
        assertThat(GemVersion.parse("1.0.a").orElseThrow().isPrerelease()).isTrue();
        assertThat(GemVersion.parse("1.0-1").orElseThrow().isPrerelease()).isTrue();
        assertThat(GemVersion.parse("1.0.1").orElseThrow().isPrerelease()).isFalse();
        assertThat(Ecosystem.RUBYGEMS.compare("", "0")).isZero(); // Gem::Version.new("") is 0
    }

    @TestFactory
    Stream<DynamicTest> packagist() {
        return Stream.concat(vectors(Ecosystem.PACKAGIST, """
                1.0.0 = 1.0.0
                v1.0.0 = 1.0.0
                1.0 < 1.0.0
                1.10.0 > 1.9.0
                1.0-dev < 1.0-alpha1
                1.0-alpha1 = 1.0-a1
                1.0-alpha1 < 1.0-alpha2
                1.0-alpha2 < 1.0-beta1
                1.0-beta1 = 1.0-b1
                1.0-beta1 < 1.0-RC1
                1.0-RC1 = 1.0-rc1
                1.0-RC1 < 1.0
                1.0 < 1.0-patch1
                1.0-pl1 = 1.0-patch1
                1.0-p1 = 1.0-pl1
                1.0-stable = 1.0
                1.0.0-stable > 1.0.0-RC2
                1.0-stable2 = 1.0
                1.stable < 1.0.0
                1.stable < 1.1
                1.0.0-beta.2 = 1.0.0-beta2
                1.0.0_beta2 = 1.0.0-beta2
                1.0.0-ALPHA1 < 1.0.0-BETA1
                2.0.0-dev < 2.0.0-alpha
                dev-master < 1.0.0
                """), invalid(Ecosystem.PACKAGIST, "", " ", "1.0 beta", null));
    }

    @Test
    void ecosystemsAreFoundByTheirOsvNames() {
        assertThat(Ecosystem.fromName("PyPI")).contains(Ecosystem.PYPI);
        assertThat(Ecosystem.fromName("crates.io")).contains(Ecosystem.CRATES_IO);
        assertThat(Ecosystem.fromName("npm")).contains(Ecosystem.NPM);
        assertThat(Ecosystem.fromName("rubygems")).contains(Ecosystem.RUBYGEMS);
        assertThat(Ecosystem.fromName("Maven:https://repo.example")).contains(Ecosystem.MAVEN);
        assertThat(Ecosystem.fromName("Debian")).isEmpty();
        assertThat(Ecosystem.fromName(null)).isEmpty();
    }

    @Test
    void comparatorSortsVersions() {
        assertThat(Stream.of("1.0", "1.0rc1", "1.0.post1", "1.0.dev0", "0.9").sorted(Ecosystem.PYPI.comparator()))
                .containsExactly("0.9", "1.0.dev0", "1.0rc1", "1.0", "1.0.post1");
        assertThat(Stream.of("1.0", "1.0-SNAPSHOT", "1.0-sp1", "1.0-alpha").sorted(Ecosystem.MAVEN.comparator()))
                .containsExactly("1.0-alpha", "1.0-SNAPSHOT", "1.0", "1.0-sp1");
    }
}

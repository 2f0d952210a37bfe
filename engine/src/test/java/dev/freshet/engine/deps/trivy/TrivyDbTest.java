package dev.freshet.engine.deps.trivy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TrivyDbTest {

    private static List<String> affected(AffectedPackage p, String... versions) {
        return Stream.of(versions).filter(p::affects).toList();
    }

    @Test
    void readsLanguageBucketsAndSkipsTheRest() {
        List<Advisory> advisories = TrivyDb.read("""
                - bucket: "npm::GitHub Security Advisory Npm"
                  pairs:
                    - bucket: jquery
                      pairs:
                        - key: CVE-2019-11358
                          value:
                            PatchedVersions: [3.4.0]
                            VulnerableVersions: [< 3.4.0]
                - bucket: alpine 3.10
                  pairs:
                    - bucket: openssl
                      pairs:
                        - key: CVE-2019-1549
                          value: {FixedVersion: 1.1.1d-r0}
                - bucket: "nuget::GitHub Security Advisory Nuget"
                  pairs:
                    - bucket: newtonsoft.json
                      pairs:
                        - key: GHSA-5crp-9r3c-p9vr
                          value: {VulnerableVersions: [< 13.0.1]}
                """);
        assertThat(advisories).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("CVE-2019-11358");
            AffectedPackage p = a.affected().get(0);
            assertThat(p.ecosystem()).isEqualTo(Ecosystem.NPM);
            assertThat(p.name()).isEqualTo("jquery");
            assertThat(affected(p, "3.3.9", "3.4.0", "1.0.0")).containsExactly("3.3.9", "1.0.0");
        });
    }

    @Test
    void withoutVulnerableVersionsEverythingNotPatchedIsVulnerable() {
        AffectedPackage p = TrivyDb.affected(Ecosystem.CRATES_IO, "ammonia", List.of(), List.of(">= 3.1.0", ">= 2.1.3, < 3.0.0"));
        assertThat(affected(p, "1.9.0", "2.1.2", "2.1.3", "2.9.9", "3.0.0", "3.0.9", "3.1.0", "4.0.0"))
                .containsExactly("1.9.0", "2.1.2", "3.0.0", "3.0.9");
        AffectedPackage exact = TrivyDb.affected(Ecosystem.NPM, "x", List.of(), List.of("1.2.3", "> 2.0.0, <= 2.1.0"));
        assertThat(affected(exact, "1.2.2", "1.2.3", "1.2.4", "2.0.0", "2.0.1", "2.1.0", "2.1.1"))
                .containsExactly("1.2.2", "1.2.4", "2.0.0", "2.1.1");
    }

    @Test
    void patchedVersionsWinOverVulnerableOnes() {
        // trivy-db's pub fixture says "<= 0.13.3" vulnerable and 0.13.3 patched: Trivy calls 0.13.3 safe.
        AffectedPackage p = TrivyDb.affected(Ecosystem.NPM, "http", List.of("<= 0.13.3"), List.of("0.13.3"));
        assertThat(affected(p, "0.13.2", "0.13.3", "0.13.4")).containsExactly("0.13.2");
        AffectedPackage maven = TrivyDb.affected(Ecosystem.MAVEN, "g:a", List.of("[2.9.0,2.9.10.7)"), List.of("2.9.10.7"));
        assertThat(affected(maven, "2.8", "2.9.0", "2.9.10.6", "2.9.10.7")).containsExactly("2.9.0", "2.9.10.6");
    }

    @Test
    void anEmptyConstraintMeansDetectAnyway() {
        AffectedPackage p = TrivyDb.affected(Ecosystem.PYPI, "x", List.of(""), List.of("1.0"));
        assertThat(affected(p, "0.1", "1.0", "9")).containsExactly("0.1", "1.0", "9");
    }

    @Test
    void intervalComplementCoversExactlyTheGaps() {
        TrivyDb.Intervals algebra = new TrivyDb.Intervals(Ecosystem.NPM.comparator());
        var b = (java.util.function.BiFunction<String, Boolean, TrivyDb.Bound>) TrivyDb.Bound::new;
        List<TrivyDb.Interval> union = List.of(new TrivyDb.Interval(b.apply("2.0.0", true), b.apply("3.0.0", false)),
                new TrivyDb.Interval(null, b.apply("1.0.0", true)),
                new TrivyDb.Interval(b.apply("2.5.0", true), b.apply("2.8.0", true)),
                new TrivyDb.Interval(b.apply("3.0.0", false), null));
        assertThat(algebra.complement(union)).containsExactly(
                new TrivyDb.Interval(b.apply("1.0.0", false), b.apply("2.0.0", false)),
                new TrivyDb.Interval(b.apply("3.0.0", true), b.apply("3.0.0", true)));
        assertThat(algebra.complement(List.of())).containsExactly(new TrivyDb.Interval(null, null));
    }
}

package dev.freshet.engine.deps.osv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.osv.AffectedRange.Event;
import dev.freshet.engine.deps.version.Ecosystem;
import java.util.List;
import org.junit.jupiter.api.Test;

class AffectedRangeTest {
    private static AffectedRange ecosystem(Event... events) {
        return new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(events));
    }

    @Test
    void introducedUpToFixed() {
        AffectedRange range = ecosystem(new Event.Introduced("1.0.0"), new Event.Fixed("1.2.3"));
        assertThat(range.contains("0.9.0", Ecosystem.NPM)).isFalse();
        assertThat(range.contains("1.0.0", Ecosystem.NPM)).isTrue();
        assertThat(range.contains("1.2.2", Ecosystem.NPM)).isTrue();
        assertThat(range.contains("1.2.3-rc.1", Ecosystem.NPM)).isTrue();
        assertThat(range.contains("1.2.3", Ecosystem.NPM)).isFalse();
        assertThat(range.contains("2.0.0", Ecosystem.NPM)).isFalse();
    }

    @Test
    void zeroMeansFromTheFirstVersionAndLastAffectedIsInclusive() {
        AffectedRange range = ecosystem(new Event.Introduced("0"), new Event.LastAffected("2.0"));
        assertThat(range.contains("0.0.1", Ecosystem.PYPI)).isTrue();
        assertThat(range.contains("2.0.0", Ecosystem.PYPI)).isTrue();
        assertThat(range.contains("2.0.post1", Ecosystem.PYPI)).isFalse();
        assertThat(range.contains("2.0rc1", Ecosystem.PYPI)).isTrue();
    }

    @Test
    void severalSpansInOneRangeFollowTheEventsInVersionOrder() {
        // Written out of order on purpose: evaluation sorts by version, not by position.
        AffectedRange range = ecosystem(new Event.Fixed("1.5"), new Event.Introduced("2.0"), new Event.Introduced("1.0"),
                new Event.Fixed("2.3"));
        assertThat(range.contains("1.2", Ecosystem.MAVEN)).isTrue();
        assertThat(range.contains("1.5", Ecosystem.MAVEN)).isFalse();
        assertThat(range.contains("1.9", Ecosystem.MAVEN)).isFalse();
        assertThat(range.contains("2.1", Ecosystem.MAVEN)).isTrue();
        assertThat(range.contains("2.3", Ecosystem.MAVEN)).isFalse();
    }

    @Test
    void limitsCapTheRange() {
        AffectedRange range = ecosystem(new Event.Introduced("0"), new Event.Limit("3.0.0"));
        assertThat(range.contains("2.9.9", Ecosystem.CRATES_IO)).isTrue();
        assertThat(range.contains("3.0.0", Ecosystem.CRATES_IO)).isFalse();
    }

    @Test
    void semverRangesUseSemVerWhateverTheEcosystem() {
        AffectedRange range = new AffectedRange(AffectedRange.Type.SEMVER,
                List.of(new Event.Introduced("0"), new Event.Fixed("0.3.1")));
        assertThat(range.contains("v0.3.0", Ecosystem.GO)).isTrue();
        assertThat(range.contains("0.3.0", Ecosystem.GO)).isTrue();
        assertThat(range.contains("0.3.1", Ecosystem.GO)).isFalse();
        assertThat(range.contains("v0.0.0-20191109021931-daa7c04131f5", Ecosystem.GO)).isTrue();
    }

    @Test
    void unreadableVersionsAndGitRangesNeverMatch() {
        assertThat(ecosystem(new Event.Introduced("0")).contains("not a version!", Ecosystem.NPM)).isFalse();
        assertThat(new AffectedRange(AffectedRange.Type.GIT, List.of(new Event.Introduced("0"))).contains("1.0.0", Ecosystem.NPM))
                .isFalse();
        // An event the scheme cannot read is left out; the rest of the range still counts.
        AffectedRange range = ecosystem(new Event.Introduced("1.0.0"), new Event.Fixed("garbage"), new Event.Fixed("1.1.0"));
        assertThat(range.contains("1.0.5", Ecosystem.NPM)).isTrue();
        assertThat(range.contains("1.1.0", Ecosystem.NPM)).isFalse();
    }

    @Test
    void listedVersionsMatchByValue() {
        AffectedPackage pkg = new AffectedPackage(Ecosystem.PYPI, "jinja2", List.of(), List.of("2.10", "2.11.0"));
        assertThat(pkg.affects("2.10.0")).isTrue();
        assertThat(pkg.affects("2.11")).isTrue();
        assertThat(pkg.affects("2.12")).isFalse();
    }
}

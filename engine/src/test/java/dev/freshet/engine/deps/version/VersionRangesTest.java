package dev.freshet.engine.deps.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionRangesTest {

    private static AffectedRange range(Event... events) {
        return new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(events));
    }

    private static AffectedPackage pkg(Ecosystem ecosystem, String expression) {
        VersionRanges.Parsed parsed = VersionRanges.parse(expression);
        return new AffectedPackage(ecosystem, "p", parsed.ranges(), parsed.versions());
    }

    @Test
    void comparatorsMapToOsvEventsExactly() {
        assertThat(VersionRanges.parse(">= 2.0.0, <= 2.9.10.3").ranges())
                .containsExactly(range(new Event.Introduced("2.0.0"), new Event.LastAffected("2.9.10.3")));
        assertThat(VersionRanges.parse("< 3.0.0").ranges()).containsExactly(range(new Event.Introduced("0"), new Event.Fixed("3.0.0")));
        assertThat(VersionRanges.parse("<8.44").ranges()).containsExactly(range(new Event.Introduced("0"), new Event.Fixed("8.44")));
        assertThat(VersionRanges.parse(">= 3.1.0").ranges()).containsExactly(range(new Event.Introduced("3.1.0")));
        assertThat(VersionRanges.parse("> 1.0 <2").ranges()).containsExactly(range(new Event.IntroducedAfter("1.0"), new Event.Fixed("2")));
        assertThat(VersionRanges.parse(">=1.0<2.0").ranges()).containsExactly(range(new Event.Introduced("1.0"), new Event.Fixed("2.0")));
        assertThat(VersionRanges.parse("< v2.8.0").ranges()).containsExactly(range(new Event.Introduced("0"), new Event.Fixed("v2.8.0")));
    }

    @Test
    void exactVersionsGoToTheVersionsList() {
        VersionRanges.Parsed parsed = VersionRanges.parse("= 1.0.1 || 1.0.3 || ==2.0 || < 0.5");
        assertThat(parsed.versions()).containsExactly("1.0.1", "1.0.3", "2.0");
        assertThat(parsed.ranges()).containsExactly(range(new Event.Introduced("0"), new Event.Fixed("0.5")));
    }

    @Test
    void mavenIntervals() {
        assertThat(VersionRanges.parse("[2.9.0,2.9.10.7)").ranges())
                .containsExactly(range(new Event.Introduced("2.9.0"), new Event.Fixed("2.9.10.7")));
        assertThat(VersionRanges.parse("(,1.0]").ranges()).containsExactly(range(new Event.Introduced("0"), new Event.LastAffected("1.0")));
        assertThat(VersionRanges.parse("(1.0,)").ranges()).containsExactly(range(new Event.IntroducedAfter("1.0")));
        assertThat(VersionRanges.parse("[1.5]").versions()).containsExactly("1.5");
        VersionRanges.Parsed several = VersionRanges.parse("(,1.0], [1.2,1.3) ,[2.0]");
        assertThat(several.ranges()).containsExactly(range(new Event.Introduced("0"), new Event.LastAffected("1.0")),
                range(new Event.Introduced("1.2"), new Event.Fixed("1.3")));
        assertThat(several.versions()).containsExactly("2.0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "> 1.0, < 2.0; 1.0; false", "> 1.0, < 2.0; 1.0.1; true", "> 1.0, < 2.0; 2.0; false",
            "(1.0,2.0]; 1.0; false", "(1.0,2.0]; 2.0; true", "(1.0,2.0]; 2.0.1; false",
            ">= 0; 0.0.1; true", "= 1.0 || >= 3; 1.0.0; true", "= 1.0 || >= 3; 2.0; false"})
    void exclusiveLowerBoundsAreExact(String expression, String version, boolean affected) {
        assertThat(pkg(Ecosystem.MAVEN, expression).affects(version)).as("%s in %s", version, expression).isEqualTo(affected);
    }

    @Test
    void aLeadingVIsTheSchemesBusiness() {
        assertThat(pkg(Ecosystem.GO, "< v2.8.0").affects("v2.7.1+incompatible")).isTrue();
        assertThat(pkg(Ecosystem.GO, ">= 0, < 0.3.7").affects("v0.3.6")).isTrue();
        assertThat(pkg(Ecosystem.NPM, "< v3.4.0").affects("3.3.9")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", ">= 1.0 ||", "|| < 2", ">= 1.0,,< 2", "~1.2", "^1.2", "!= 1.0", ">= 1 >= 2",
            "< 1, <= 2", "= 1.0, < 2", "1.0 2.0", "[1.0", "[1.0,2.0", "(1.0)", "[1.0)", "(,)", "[1.0,2.0) [3.0,)", ">=", "*",
            "[1.0,2.0),"})
    void badSyntaxIsRejectedNamingTheExpression(String expression) {
        assertThatThrownBy(() -> VersionRanges.parse(expression)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expression.isBlank() ? "empty" : "'" + expression + "'");
    }

    @Test
    void formatWritesSpansAndVersions() {
        AffectedPackage p = new AffectedPackage(Ecosystem.NPM, "p", List.of(
                range(new Event.Introduced("0"), new Event.Fixed("1.0.0"), new Event.Introduced("2.0.0"), new Event.LastAffected("2.1.0")),
                range(new Event.IntroducedAfter("3.0.0")),
                range(new Event.Introduced("0"), new Event.Limit("0.5.0")),
                new AffectedRange(AffectedRange.Type.GIT, List.of(new Event.Introduced("abc")))), List.of("1.5.0"));
        assertThat(VersionRanges.format(p)).isEqualTo("< 1.0.0 || >= 2.0.0, <= 2.1.0 || > 3.0.0 || < 0.5.0 || = 1.5.0");
        assertThat(VersionRanges.format(pkg(Ecosystem.NPM, ">= 0"))).isEqualTo(">= 0");
        assertThat(VersionRanges.format(pkg(Ecosystem.MAVEN, "[1.0,1.0]"))).isEqualTo("= 1.0");
    }

    @Test
    void formatRefusesWhatItCannotWrite() {
        assertThatThrownBy(() -> VersionRanges.format(new AffectedPackage(Ecosystem.NPM, "p",
                List.of(range(new Event.Introduced("2.0.0"), new Event.Fixed("1.0.0"), new Event.Fixed("2.0.0"))), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("affects no version");
        assertThatThrownBy(() -> VersionRanges.format(new AffectedPackage(Ecosystem.MAVEN, "p", List.of(), List.of("1.0 || 2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1.0 || 2'");
    }
}

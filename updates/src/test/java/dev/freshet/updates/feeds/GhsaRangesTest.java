package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import dev.freshet.engine.deps.version.Ecosystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GhsaRangesTest {

    private static List<Event> events(String expression) {
        GhsaRanges.Parsed parsed = GhsaRanges.parse(expression);
        assertThat(parsed.versions()).isEmpty();
        assertThat(parsed.ranges()).singleElement().extracting(AffectedRange::type).isEqualTo(AffectedRange.Type.ECOSYSTEM);
        return parsed.ranges().getFirst().events();
    }

    @Test
    void theDocumentedFormsMapExactlyToOsvEvents() {
        assertThat(events(">= 2.0.0, < 2.9.10.3")).containsExactly(new Event.Introduced("2.0.0"), new Event.Fixed("2.9.10.3"));
        assertThat(events(">= 1.2.0-beta.1, <= 1.3.0-rc.1")).containsExactly(new Event.Introduced("1.2.0-beta.1"), new Event.LastAffected("1.3.0-rc.1"));
        assertThat(events("<= 1.0.8")).containsExactly(new Event.Introduced("0"), new Event.LastAffected("1.0.8"));
        assertThat(events("< 0.1.11")).containsExactly(new Event.Introduced("0"), new Event.Fixed("0.1.11"));
        assertThat(events(">= 0.0.1")).containsExactly(new Event.Introduced("0.0.1"));
        assertThat(events("<2.0,>=1.0")).containsExactly(new Event.Introduced("1.0"), new Event.Fixed("2.0"));
        assertThat(GhsaRanges.parse("= 0.2.0")).isEqualTo(new GhsaRanges.Parsed(List.of(), List.of("0.2.0")));
    }

    @Test
    void membershipAgreesWithTheRangeOnAGridOfVersions() {
        List<String> versions = new ArrayList<>();
        for (int major = 0; major <= 3; major++) {
            for (int minor = 0; minor <= 3; minor++) {
                versions.add(major + "." + minor + ".0");
            }
        }
        for (String low : versions) {
            for (String high : versions) {
                if (Ecosystem.NPM.compare(low, high) >= 0) {
                    continue;
                }
                AffectedPackage exclusive = pkg(">= " + low + ", < " + high);
                AffectedPackage inclusive = pkg(">= " + low + ", <= " + high);
                for (String v : versions) {
                    boolean aboveLow = Ecosystem.NPM.compare(v, low) >= 0;
                    assertThat(exclusive.affects(v)).as(v + " in [" + low + ", " + high + ")").isEqualTo(aboveLow && Ecosystem.NPM.compare(v, high) < 0);
                    assertThat(inclusive.affects(v)).as(v + " in [" + low + ", " + high + "]").isEqualTo(aboveLow && Ecosystem.NPM.compare(v, high) <= 0);
                }
            }
        }
    }

    private static AffectedPackage pkg(String expression) {
        GhsaRanges.Parsed parsed = GhsaRanges.parse(expression);
        return new AffectedPackage(Ecosystem.NPM, "p", parsed.ranges(), parsed.versions());
    }

    @Test
    void anythingOutsideTheGrammarIsRefusedNamingTheExpression() {
        assertThatThrownBy(() -> GhsaRanges.parse("> 1.0")).hasMessage("version range '> 1.0': an exclusive lower bound '> 1.0' has no OSV equivalent");
        assertThatThrownBy(() -> GhsaRanges.parse("~> 1.0")).hasMessage("version range '~> 1.0': '~> 1.0' is not an operator (=, <, <=, >=) followed by a version");
        assertThatThrownBy(() -> GhsaRanges.parse("1.0")).hasMessageContaining("'1.0' is not an operator");
        assertThatThrownBy(() -> GhsaRanges.parse(">= 1.0 < 2.0")).hasMessageContaining("is not an operator");
        assertThatThrownBy(() -> GhsaRanges.parse(">= 1.0,")).hasMessageContaining("'' is not an operator");
        assertThatThrownBy(() -> GhsaRanges.parse(">= 1, >= 2")).hasMessage("version range '>= 1, >= 2': more than one lower bound");
        assertThatThrownBy(() -> GhsaRanges.parse("< 1, <= 2")).hasMessage("version range '< 1, <= 2': more than one upper bound");
        assertThatThrownBy(() -> GhsaRanges.parse("= 1, < 2")).hasMessage("version range '= 1, < 2': '=' cannot be combined with bounds");
        assertThatThrownBy(() -> GhsaRanges.parse("= 1, = 2")).hasMessage("version range '= 1, = 2': more than one '=' version");
        assertThatThrownBy(() -> GhsaRanges.parse(" ")).hasMessage("empty version range");
        assertThatThrownBy(() -> GhsaRanges.parse(null)).hasMessage("empty version range");
    }

    @Test
    void everyRangeInARecordedGitHubPageParses() throws Exception {
        Path sample = Path.of("../../shared/data/vuln/open-vulnerability-clients/src/test/resources/advisories.json");
        Assumptions.assumeTrue(Files.isRegularFile(sample), "no recorded GitHub page under ../shared; skipped");
        List<String> ranges = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(sample.toFile()).path("data").path("securityAdvisories").path("nodes")) {
            node.path("vulnerabilities").path("edges").forEach(v -> ranges.add(v.path("vulnerableVersionRange").asText()));
        }
        assertThat(ranges).hasSizeGreaterThan(30);
        for (String range : ranges) {
            GhsaRanges.Parsed parsed = GhsaRanges.parse(range);
            assertThat(parsed.ranges().size() + parsed.versions().size()).as(range).isEqualTo(1);
        }
    }
}

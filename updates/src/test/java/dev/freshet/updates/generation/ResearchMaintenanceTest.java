package dev.freshet.updates.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.feeds.FeedPage;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** research_maintenance: recent CVEs of supported stacks become global rules with their CVE ids, released through the rollout engine. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ResearchMaintenanceTest {
    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private static Advisory cve(String id, String cwe, Ecosystem ecosystem, String pkg, Instant published) {
        return new Advisory(id, List.of(), "test", published, published, null,
                List.of(new AffectedPackage(ecosystem, pkg, List.of(), List.of("1.0.0"))), List.of(), List.of(cwe), null);
    }

    private ResearchMaintenance research() {
        return parts.get().research(GatePolicy.defaults("0.1.0").withThreads(1), new Generators(Optional.empty()));
    }

    @Test
    void recentCvesOfSupportedFrameworksBecomeRulesListingThemAndOthersAreLeftOut() throws Exception {
        Instant now = Instant.now();
        parts.get().advisories().storePage("nvd", new FeedPage(List.of(
                cve("CVE-2026-1001", "CWE-89", Ecosystem.PYPI, "Flask", now.minus(Duration.ofDays(2))),
                cve("CVE-2026-1002", "CWE-89", Ecosystem.PYPI, "flask", now.minus(Duration.ofDays(3))),
                cve("CVE-2026-1003", "CWE-79", Ecosystem.NPM, "express", now.minus(Duration.ofDays(1))),
                cve("CVE-2026-1004", "CWE-22", Ecosystem.NPM, "express", now.minus(Duration.ofDays(1))),
                cve("CVE-2026-1005", "CWE-89", Ecosystem.NPM, "left-pad", now.minus(Duration.ofDays(1))),
                cve("CVE-2025-0001", "CWE-78", Ecosystem.PYPI, "flask", now.minus(Duration.ofDays(90)))), "c1", false), now);

        ResearchMaintenance.Report report = research().run(ResearchMaintenance.DEFAULT_WINDOW, Optional.empty());

        assertThat(report.relevant()).containsOnlyKeys("research.flask-sql-injection", "research.express-xss");
        assertThat(report.relevant().get("research.flask-sql-injection")).containsExactly("CVE-2026-1001", "CVE-2026-1002");
        assertThat(report.rules()).allSatisfy(rule -> assertThat(rule.validated()).as(rule.reason()).isTrue());
        Release live = parts.get().releases().active().orElseThrow();
        assertThat(live.id()).isEqualTo(report.releaseId());
        assertThat(report.rolloutId()).as("nothing was live, so the release went live at once").isNull();
        RuleDefinition flask = RuleDefinition.read(live.rules().stream().filter(r -> r.id().equals("research.flask-sql-injection"))
                .findFirst().orElseThrow().yaml()).getFirst();
        assertThat(flask.metadata().get("cve")).isEqualTo(List.of("CVE-2026-1001", "CVE-2026-1002"));
        assertThat(new EventLog(parts.get().database().jdbi()).after(0, 100)).extracting(Event::type).contains(EventType.RESEARCH_RULES_RELEASED);
    }

    @Test
    void withAReleaseLiveTheRulesJoinItAndGoOutThroughARollout() throws Exception {
        Release global = parts.get().releases().create(List.of(Fixtures.rule("g1", "eval($X)")), new GateReport(List.of(), List.of()));
        parts.get().activations().activate(global.id(), Trigger.USER, "test");
        Instant now = Instant.now();
        parts.get().advisories().storePage("nvd", new FeedPage(List.of(
                cve("CVE-2026-2001", "CWE-78", Ecosystem.GO, "github.com/gin-gonic/gin", now.minus(Duration.ofDays(1)))), "c1", false), now);

        ResearchMaintenance.Report report = research().run(ResearchMaintenance.DEFAULT_WINDOW,
                Optional.of(RolloutPlan.DEFAULT));

        assertThat(report.rolloutId()).isNotNull();
        assertThat(parts.get().releases().active().orElseThrow().id()).as("stable stays live while the candidate rolls out").isEqualTo(global.id());
        Release candidate = parts.get().releases().find(report.releaseId()).orElseThrow();
        assertThat(candidate.rules()).extracting(r -> r.id()).containsExactly("g1", "research.gin-command-injection");
    }

    @Test
    void nothingRelevantReleasesNothing() throws Exception {
        ResearchMaintenance.Report report = research().run(ResearchMaintenance.DEFAULT_WINDOW, Optional.empty());
        assertThat(report.releaseId()).isNull();
        assertThat(parts.get().releases().list()).isEmpty();
    }
}

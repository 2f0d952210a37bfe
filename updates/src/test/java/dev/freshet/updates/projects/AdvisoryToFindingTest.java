package dev.freshet.updates.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.engine.rules.Severity;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.FeedPage;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.AdvisorySource;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole way of an advisory on a real store: synced into the advisory store, released as a
 * dependency rule through the gate, matched in a watched project, and resolved when withdrawn.
 */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class AdvisoryToFindingTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private static Advisory lodash(String withdrawn) {
        return ((OsvParser.Result.Parsed) OsvParser.parse("""
                {"id": "GHSA-jf85-cpcp-j695", "aliases": ["CVE-2019-10744"], "summary": "Prototype Pollution in lodash",
                 "modified": "%s", %s
                 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}
                """.formatted(withdrawn == null ? "2024-01-01T00:00:00Z" : withdrawn,
                withdrawn == null ? "" : "\"withdrawn\": \"" + withdrawn + "\","), false)).record();
    }

    private static Advisory django() {
        return ((OsvParser.Result.Parsed) OsvParser.parse("""
                {"id": "PYSEC-2024-1", "modified": "2024-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "django"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.2.11"}]}]}]}
                """, false)).record();
    }

    @Test
    void anAdvisoryBecomesAFindingInAWatchedProjectAndWithdrawalResolvesIt() throws Exception {
        Path project = Files.createDirectories(parts.dir().resolve("shop"));
        Files.writeString(project.resolve("package-lock.json"), """
                {"name": "shop", "lockfileVersion": 3, "packages": {"": {"name": "shop"},
                  "node_modules/lodash": {"version": "4.17.11"}, "node_modules/express": {"version": "4.18.0"}}}
                """);
        AdvisoryStore advisories = parts.get().advisories();
        advisories.storePage("osv-npm", new FeedPage(List.of(lodash(null), django()), "c1"), Instant.now());
        ProjectMonitor monitor = parts.get().projects();
        monitor.add("shop", project);
        assertThat(monitor.watchedEcosystems()).containsExactly(Ecosystem.NPM);

        parts.get().sources().add(new AdvisorySource("vulns", Set.of(), SourceSettings.defaults()));
        ReleaseStore releases = parts.get().releases();
        Updater updater = parts.updater(UpdatePolicy.DEFAULT);
        ActiveKnowledge active = parts.get().knowledge();

        Updater.CheckResult first = updater.check(Trigger.USER);
        assertThat(first.activation()).isPresent();
        assertThat(releases.active().orElseThrow().rules()).as("only the project's ecosystem is relevant")
                .extracting(r -> r.id()).containsExactly("GHSA-jf85-cpcp-j695");
        active.refresh();
        List<ProjectFinding> fresh = monitor.scanAll(active.holder().current());
        assertThat(fresh).singleElement().isInstanceOfSatisfying(ProjectFinding.Dependency.class, f -> {
            assertThat(f.advisoryId()).isEqualTo("GHSA-jf85-cpcp-j695");
            assertThat(f.packageName()).isEqualTo("lodash");
            assertThat(f.version()).isEqualTo("4.17.11");
            assertThat(f.lockfile()).isEqualTo("package-lock.json");
        });
        assertThat(monitor.scanAll(active.holder().current())).as("seen before, not new").isEmpty();
        assertThat(monitor.find("shop").orElseThrow().stack()).contains("Express", "npm");
        assertThat(new EventLog(parts.get().database().jdbi()).after(0, 100)).extracting(Event::type)
                .as("no CVSS score, not known exploited: not critical").doesNotContain(EventType.PROJECT_CRITICAL_FINDING);

        assertThat(updater.check(Trigger.USER).release()).as("unchanged store, no release").isEmpty();
        String before = releases.active().orElseThrow().id();
        advisories.storePage("osv-pypi", new FeedPage(List.of(django()), "p1"), Instant.now());
        Updater.CheckResult irrelevant = updater.check(Trigger.USER);
        assertThat(irrelevant.activation()).as("new records outside the watched ecosystems change no rule").isEmpty();
        assertThat(releases.active().orElseThrow().id()).isEqualTo(before);

        advisories.storePage("osv-npm", new FeedPage(List.of(lodash("2024-03-01T00:00:00Z")), "c2"), Instant.now());
        assertThat(updater.check(Trigger.USER).activation()).isPresent();
        assertThat(releases.active().orElseThrow().rules()).isEmpty();
        active.refresh();
        assertThat(monitor.scanAll(active.holder().current())).isEmpty();
        assertThat(monitor.findings("shop", false)).isEmpty();
        assertThat(monitor.findings(null, true)).as("every project").hasSize(1);
        assertThat(monitor.findings("shop", true)).singleElement()
                .satisfies(f -> assertThat(f.resolvedAt()).isNotNull());
    }

    @Test
    void aNewCriticalFindingInAWatchedProjectIsLoggedOnceWithTheFinding() throws Exception {
        Path project = Files.createDirectories(parts.dir().resolve("shop"));
        Files.writeString(project.resolve("package-lock.json"), """
                {"name": "shop", "lockfileVersion": 3, "packages": {"": {"name": "shop"}, "node_modules/lodash": {"version": "4.17.11"}}}
                """);
        parts.get().advisories().storePage("osv-npm", new FeedPage(List.of(criticalLodash()), "c1"), Instant.now());
        ProjectMonitor monitor = parts.get().projects();
        monitor.add("shop", project);
        parts.get().sources().add(new AdvisorySource("vulns", Set.of(Ecosystem.NPM), SourceSettings.defaults()));
        ActiveKnowledge active = parts.get().knowledge();

        parts.updater(UpdatePolicy.DEFAULT).check(Trigger.USER);
        active.refresh();
        monitor.scanAll(active.holder().current());
        monitor.scanAll(active.holder().current());

        List<Event> critical = new EventLog(parts.get().database().jdbi()).after(0, 100).stream()
                .filter(e -> e.type() == EventType.PROJECT_CRITICAL_FINDING).toList();
        assertThat(critical).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(EventType.Severity.CRITICAL);
            assertThat(e.releaseId()).isEqualTo(parts.get().releases().active().orElseThrow().id());
            assertThat(e.payload()).containsEntry("project", "shop").containsEntry("advisory", "GHSA-jf85-cpcp-j695")
                    .containsEntry("package", "lodash").containsEntry("version", "4.17.11").containsEntry("cvss", 9.8)
                    .containsEntry("fixed_in", "4.17.12").containsEntry("known_exploited", false);
        });
    }

    private static Advisory criticalLodash() {
        return ((OsvParser.Result.Parsed) OsvParser.parse("""
                {"id": "GHSA-jf85-cpcp-j695", "modified": "2024-01-01T00:00:00Z",
                 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}
                """, false)).record();
    }

    @Test
    void advisoryRulesAreSecurityUpdatesWithASeverityFromTheirCvssRating() {
        parts.get().advisories().storePage("osv-npm", new FeedPage(List.of(criticalLodash()), "c1"), Instant.now());
        parts.get().sources().add(new AdvisorySource("vulns", Set.of(Ecosystem.NPM), SourceSettings.defaults()));
        // Security updates apply by themselves; any other update waits for a person.
        UpdatePolicy securityOnly = new UpdatePolicy(new UpdatePolicy.Updates(true, UpdatePolicy.Approval.AUTOMATIC,
                UpdatePolicy.Approval.APPROVAL), List.of(), new UpdatePolicy.Rollback(false, 0, 120));

        Updater.CheckResult result = parts.updater(securityOnly).check(Trigger.SCHEDULE);

        assertThat(result.decision()).contains(UpdatePolicy.Decision.APPLY);
        assertThat(result.activation()).isPresent();
        RuleDefinition rule = RuleDefinition.read(parts.get().releases().active().orElseThrow().rules().get(0).yaml()).get(0);
        assertThat(rule.isSecurity()).isTrue();
        assertThat(rule.severity()).as("CVSS 9.8, critical").contains(Severity.ERROR);
        assertThat(rule.metadata()).containsEntry("security-severity", "9.8");
    }
}

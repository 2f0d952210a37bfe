package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class AdvisoryStoreTest {
    static final Instant T = Instant.parse("2026-02-01T00:00:00Z");

    @Parameter
    Database.Kind kind;
    @TempDir
    Path dir;
    private StoreLocation location;
    private Database database;
    private AdvisoryStore store;

    @BeforeEach
    void open() {
        location = TestStores.fresh(kind, dir);
        database = Database.open(location);
        store = new AdvisoryStore(database.jdbi());
    }

    @AfterEach
    void close() {
        database.close();
    }

    static Advisory plain(String id, String... aliases) {
        return new Advisory(id, List.of(aliases), "about " + id, null, null, null, List.of(), List.of(), List.of(), null);
    }

    static Advisory full() {
        AffectedRange range = new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(new AffectedRange.Event.Introduced("0"),
                new AffectedRange.Event.Fixed("2.0"), new AffectedRange.Event.LastAffected("1.9"), new AffectedRange.Event.Limit("3")));
        AffectedPackage pkg = new AffectedPackage(Ecosystem.values()[0], "pkg", List.of(range), List.of("1.0", "1.1"),
                List.of(new AffectedPackage.VulnerableImport("example.org/pkg", List.of("Parse", "Decode"))));
        return new Advisory("GHSA-aaaa-bbbb-cccc", List.of("CVE-2026-0001", "PYSEC-2026-1"), "A flaw",
                Instant.parse("2026-01-01T10:00:00.123Z"), Instant.parse("2026-01-02T10:00:00Z"), Instant.parse("2026-01-03T00:00:00Z"),
                List.of(pkg), List.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), List.of("CWE-79"),
                new Advisory.Kev(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-01-26"), true));
    }

    @Test
    void everyFieldSurvivesTheStoredForm() {
        Advisory advisory = full();
        assertThat(AdvisoryJson.read(AdvisoryJson.write(advisory))).isEqualTo(advisory);
        store.storePage("osv", new FeedPage(List.of(advisory), "c1"), T);
        assertThat(store.load("osv")).containsExactly(advisory);
    }

    @Test
    void aPageAndItsCursorAreStoredTogetherOrNotAtAll() {
        store.storePage("nvd", new FeedPage(List.of(plain("CVE-1"), plain("CVE-2")), "after-page-1"), T);
        Advisory broken = plain(null); // violates NOT NULL on the way in, after CVE-3 was written
        assertThatThrownBy(() -> store.storePage("nvd", new FeedPage(List.of(plain("CVE-3"), broken), "after-page-2"), T));
        assertThat(store.load("nvd")).extracting(Advisory::id).containsExactly("CVE-1", "CVE-2");
        assertThat(store.state("nvd").cursor()).isEqualTo("after-page-1");
        assertThat(store.state("nvd").records()).isEqualTo(2);
    }

    @Test
    void aRecordStoredAgainReplacesItsEarlierCopy() {
        store.storePage("osv", new FeedPage(List.of(plain("GHSA-1", "CVE-1")), "a"), T);
        Advisory changed = new Advisory("GHSA-1", List.of("CVE-9"), "changed", null, null, null, List.of(), List.of(), List.of(), null);
        store.storePage("osv", new FeedPage(List.of(changed, plain("GHSA-2")), "b"), T);
        store.storePage("osv", new FeedPage(List.of(changed, changed), "c"), T);
        assertThat(store.load("osv")).containsExactly(changed, plain("GHSA-2"));
        assertThat(store.state("osv").records()).isEqualTo(2);
        assertThat(store.find("CVE-1")).isEmpty(); // the old alias went with the old copy
        assertThat(store.find("CVE-9")).map(Advisory::summary).contains("changed");
    }

    @Test
    void aSnapshotPageReplacesTheWholeFeedButNoOtherFeed() {
        store.storePage("kev", new FeedPage(List.of(plain("CVE-1"), plain("CVE-2")), "v1", true), T);
        store.storePage("nvd", new FeedPage(List.of(plain("CVE-1")), "n"), T);
        store.storePage("kev", new FeedPage(List.of(plain("CVE-2"), plain("CVE-3")), "v2", true), T);
        assertThat(store.load("kev")).extracting(Advisory::id).containsExactly("CVE-2", "CVE-3");
        assertThat(store.load("nvd")).extracting(Advisory::id).containsExactly("CVE-1");
        assertThat(store.state("kev").records()).isEqualTo(2);
    }

    @Test
    void loadAllMergesFeedsByAliasWithThePackageFeedLeading() {
        Advisory osv = new Advisory("GHSA-1", List.of("CVE-2026-1"), "package flaw", null, null, null, List.of(), List.of(), List.of(), null);
        Advisory nvd = new Advisory("CVE-2026-1", List.of(), "nvd words", null, null, null, List.of(),
                List.of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), List.of("CWE-89"), null);
        Advisory kev = new Advisory("CVE-2026-1", List.of(), "kev words", null, null, null, List.of(), List.of(), List.of(),
                new Advisory.Kev(LocalDate.parse("2026-01-10"), null, false));
        store.storePage("kev", new FeedPage(List.of(kev, plain("CVE-2026-2")), "k", true), T);
        store.storePage("nvd", new FeedPage(List.of(nvd), "n"), T);
        store.storePage("osv", new FeedPage(List.of(osv), "o"), T);

        List<Advisory> all = store.loadAll();
        assertThat(all).hasSize(2);
        Advisory merged = all.get(0);
        assertThat(merged.id()).isEqualTo("GHSA-1");
        assertThat(merged.summary()).isEqualTo("package flaw");
        assertThat(merged.kev()).isNotNull();
        assertThat(merged.severityVectors()).containsExactly("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
        assertThat(merged.cwes()).containsExactly("CWE-89");
        assertThat(store.find("CVE-2026-1")).contains(merged);
        assertThat(store.find("GHSA-1")).contains(merged);
        assertThat(store.find("CVE-404")).isEmpty();
    }

    @Test
    void nvdPackagesReadFromCpeNamesCountOnlyForCvesNoPackageFeedDescribes() {
        AffectedRange cpeRange = new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(new AffectedRange.Event.Introduced("0"),
                new AffectedRange.Event.LastAffected("4.2.9")));
        AffectedRange osvRange = new AffectedRange(AffectedRange.Type.ECOSYSTEM, List.of(new AffectedRange.Event.Introduced("4.2"),
                new AffectedRange.Event.Fixed("4.2.8")));
        Advisory nvdDescribed = new Advisory("CVE-2026-10", List.of(), "nvd", null, null, null,
                List.of(new AffectedPackage(Ecosystem.PYPI, "django", List.of(cpeRange), List.of())), List.of(), List.of("CWE-89"), null);
        Advisory nvdOnly = new Advisory("CVE-2026-11", List.of(), "nvd only", null, null, null,
                List.of(new AffectedPackage(Ecosystem.PYPI, "django", List.of(cpeRange), List.of())), List.of(), List.of(), null);
        Advisory osv = new Advisory("PYSEC-2026-10", List.of("CVE-2026-10"), "osv", null, null, null,
                List.of(new AffectedPackage(Ecosystem.PYPI, "django", List.of(osvRange), List.of())), List.of(), List.of(), null);
        store.storePage("nvd", new FeedPage(List.of(nvdDescribed, nvdOnly), "n"), T);
        store.storePage("osv", new FeedPage(List.of(osv), "o"), T);

        Advisory merged = store.find("CVE-2026-10").orElseThrow();
        assertThat(merged.affected()).singleElement().satisfies(p -> assertThat(p.ranges()).containsExactly(osvRange));
        assertThat(merged.cwes()).as("NVD still adds its weaknesses").containsExactly("CWE-89");
        assertThat(store.find("CVE-2026-11").orElseThrow().affected()).singleElement()
                .satisfies(p -> assertThat(p.ranges()).containsExactly(cpeRange));
        assertThat(store.loadAll()).hasSize(2);
        assertThat(store.load("nvd")).as("the stored record keeps what NVD said").contains(nvdDescribed);
    }

    @Test
    void feedStateRecordsAttemptsSuccessesAndFailures() {
        assertThat(store.state("nvd")).isEqualTo(new AdvisoryStore.FeedState("nvd", null, null, null, null, 0));
        store.recordAttempt("nvd", T);
        store.recordFailure("nvd", T.plusSeconds(1), "feed 'nvd': HTTP 503", Duration.ofDays(1));
        assertThat(store.state("nvd").lastError()).isEqualTo("feed 'nvd': HTTP 503");
        assertThat(store.state("nvd").lastSuccessAt()).isNull();
        store.recordSuccess("nvd", T.plusSeconds(2));
        assertThat(store.state("nvd").lastError()).isNull();
        assertThat(store.state("nvd").lastSuccessAt()).isEqualTo(T.plusSeconds(2));
        assertThat(store.state("nvd").lastAttemptAt()).isEqualTo(T);
        assertThat(store.states()).extracting(AdvisoryStore.FeedState::feed).containsExactly("nvd");
    }

    @Test
    void aFeedIsReportedStaleOnceWhenFailingPastItsTargetAndRecoveredOnItsNextSuccess() {
        EventLog events = new EventLog(database.jdbi());
        store.recordSuccess("kev", T);
        store.recordFailure("kev", T.plus(Duration.ofHours(1)), "HTTP 503", Duration.ofHours(6)); // stored data still fresh
        assertThat(events.after(0, 10)).isEmpty();
        store.recordFailure("kev", T.plus(Duration.ofHours(7)), "HTTP 503", Duration.ofHours(6));
        store.recordFailure("kev", T.plus(Duration.ofHours(8)), "HTTP 500", Duration.ofHours(6)); // already reported
        store.recordSuccess("kev", T.plus(Duration.ofHours(9)));
        store.recordSuccess("kev", T.plus(Duration.ofHours(10)));

        List<Event> logged = events.after(0, 10);
        assertThat(logged).extracting(Event::type).containsExactly(EventType.FEED_STALE, EventType.FEED_RECOVERED);
        assertThat(logged.get(0).payload()).containsEntry("feed", "kev").containsEntry("error", "HTTP 503")
                .containsEntry("last_success", T.toString());
        assertThat(logged.get(1).payload()).containsEntry("stale_for_seconds", 2 * 3600);
    }

    @Test
    void theStoreSurvivesReopening() {
        store.storePage("osv", new FeedPage(List.of(full()), "c"), T);
        database.close();
        database = Database.open(location);
        assertThat(new AdvisoryStore(database.jdbi()).loadAll()).extracting(Advisory::id).containsExactly("GHSA-aaaa-bbbb-cccc");
    }
}

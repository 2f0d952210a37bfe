package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvdFeedTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime(T0);
    private Database database;
    private AdvisoryStore store;
    private FeedSync sync;
    private NvdServer nvd;
    private ResilientTransport transport;

    @BeforeEach
    void start() throws IOException {
        database = Database.open(dir);
        store = new AdvisoryStore(database.jdbi());
        sync = new FeedSync(store, time.clock());
        nvd = new NvdServer();
        transport = new ResilientTransport(HttpClient.newHttpClient(), time, Map.of(NvdFeed.NAME,
                NvdFeed.policy(false).withAttempts(2, Duration.ofSeconds(1), Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(5))));
    }

    @AfterEach
    void stop() {
        nvd.close();
        database.close();
    }

    private NvdFeed feed(int pageSize) {
        return new NvdFeed(transport, nvd.endpoint(), null, time.clock(), pageSize);
    }

    private static String cve(int n) {
        return String.format("CVE-2026-%04d", n);
    }

    private List<String> storedIds() {
        return store.load(NvdFeed.NAME).stream().map(Advisory::id).toList();
    }

    private List<Map<String, String>> pageQueries() {
        return nvd.requests().stream().map(r -> NvdServer.query(r.uri())).toList();
    }

    @Test
    void mapsACveObjectToTheAdvisoryModel() throws IOException {
        String json = """
                {"id": "CVE-2025-1234", "sourceIdentifier": "cna@example.org",
                 "published": "2025-01-10T12:00:00.500", "lastModified": "2025-02-01T08:30:00.000",
                 "vulnStatus": "Analyzed",
                 "descriptions": [{"lang": "es", "value": "Un fallo"}, {"lang": "en", "value": " A heap overflow in the parser. "}],
                 "metrics": {
                   "cvssMetricV2": [{"source": "nvd@nist.gov", "type": "Primary",
                                     "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}}],
                   "cvssMetricV31": [{"source": "cna@example.org", "type": "Secondary",
                                      "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}},
                                     {"source": "nvd@nist.gov", "type": "Primary",
                                      "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}],
                   "cvssMetricV40": [{"source": "cna@example.org", "type": "Secondary",
                                      "cvssData": {"version": "4.0", "vectorString": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}]},
                 "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "NVD-CWE-Other"}]},
                                {"source": "cna@example.org", "type": "Secondary", "description": [{"lang": "en", "value": "CWE-122"},
                                                                                                     {"lang": "en", "value": "CWE-787"}]}],
                 "references": [{"url": "https://example.org/advisory"}]}
                """;
        Advisory advisory = NvdFeed.advisory(new ObjectMapper().readTree(json));
        assertThat(advisory.id()).isEqualTo("CVE-2025-1234");
        assertThat(advisory.aliases()).isEmpty();
        assertThat(advisory.summary()).isEqualTo("A heap overflow in the parser.");
        assertThat(advisory.published()).isEqualTo(Instant.parse("2025-01-10T12:00:00.500Z"));
        assertThat(advisory.modified()).isEqualTo(Instant.parse("2025-02-01T08:30:00Z"));
        assertThat(advisory.withdrawn()).isNull();
        assertThat(advisory.severityVectors()).containsExactly(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "AV:N/AC:L/Au:N/C:P/I:P/A:P");
        assertThat(advisory.cwes()).containsExactly("CWE-122", "CWE-787");
        assertThat(advisory.affected()).isEmpty();
        assertThat(advisory.kev()).isNull();

        Advisory rejected = NvdFeed.advisory(new ObjectMapper().readTree("""
                {"id": "CVE-2025-9999", "published": "2025-01-01T00:00:00.000", "lastModified": "2025-03-01T00:00:00.000",
                 "vulnStatus": "Rejected", "descriptions": [{"lang": "en", "value": "** REJECT ** Duplicate."}]}
                """));
        assertThat(rejected.isWithdrawn()).isTrue();
        assertThat(rejected.withdrawn()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
    }

    @Test
    void theFirstSyncListsEverythingAndLaterOnesAskOnlyForChanges() throws Exception {
        for (int i = 1; i <= 10; i++) {
            nvd.put(cve(i), T0.minus(Duration.ofDays(400 - i)));
        }
        FeedSync.Result first = sync.sync(feed(3));
        assertThat(first.succeeded()).isTrue();
        assertThat(first.pages()).isEqualTo(4);
        assertThat(storedIds()).hasSize(10);
        assertThat(pageQueries()).allSatisfy(q -> assertThat(q).doesNotContainKey("lastModStartDate"));
        assertThat(pageQueries()).extracting(q -> q.get("startIndex")).containsExactly("0", "3", "6", "9");

        time.advance(Duration.ofDays(1));
        nvd.put(cve(2), T0.plus(Duration.ofHours(1)));
        nvd.put(cve(11), T0.plus(Duration.ofHours(2)));
        int before = nvd.requests().size();
        FeedSync.Result second = sync.sync(feed(3));
        assertThat(second.records()).isEqualTo(2);
        Map<String, String> asked = pageQueries().get(before);
        assertThat(OffsetDateTime.parse(asked.get("lastModStartDate")).toInstant()).isEqualTo(T0);
        assertThat(OffsetDateTime.parse(asked.get("lastModEndDate")).toInstant()).isAfterOrEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(storedIds()).hasSize(11).doesNotHaveDuplicates();
        assertThat(store.find(cve(2))).map(Advisory::modified).contains(T0.plus(Duration.ofHours(1)));
        assertThat(store.state(NvdFeed.NAME).records()).isEqualTo(11);
    }

    @Test
    void aLongAbsenceIsCaughtUpInWindowsOfAtMost120Days() throws Exception {
        sync.sync(feed(100)); // empty NVD: nothing but the starting point
        Instant back = time.now();
        nvd.put(cve(1), back.plus(Duration.ofDays(10)));
        nvd.put(cve(2), back.plus(Duration.ofDays(200)));
        nvd.put(cve(3), back.plus(Duration.ofDays(290)));
        time.advance(Duration.ofDays(300));
        int before = nvd.requests().size();

        FeedSync.Result result = sync.sync(feed(100));

        assertThat(result.succeeded()).as(result.error()).isTrue();
        List<Map<String, String>> windows = pageQueries().subList(before, pageQueries().size());
        assertThat(windows).hasSize(3);
        Instant expectedStart = back;
        for (Map<String, String> window : windows) {
            Instant start = OffsetDateTime.parse(window.get("lastModStartDate")).toInstant();
            Instant end = OffsetDateTime.parse(window.get("lastModEndDate")).toInstant();
            assertThat(start).isEqualTo(expectedStart);
            assertThat(Duration.between(start, end)).isLessThanOrEqualTo(Duration.ofDays(120));
            expectedStart = end;
        }
        assertThat(expectedStart).isAfterOrEqualTo(back.plus(Duration.ofDays(300)));
        assertThat(storedIds()).containsExactly(cve(1), cve(2), cve(3));
    }

    @Test
    void aSyncThatFailsMidWindowKeepsItsPagesAndResumesThere() throws Exception {
        for (int i = 1; i <= 10; i++) {
            nvd.put(cve(i), T0.minus(Duration.ofDays(30)));
        }
        nvd.misbehave((n, exchange) -> {
            if (n >= 3) {
                TestServer.respond(exchange, 503, "Service Unavailable");
                return true;
            }
            return false;
        });
        FeedSync.Result failed = sync.sync(feed(3));
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.error()).contains("feed 'nvd'").contains("HTTP 503");
        assertThat(storedIds()).hasSize(6);
        FeedStatus status = sync.status(feed(3));
        assertThat(status.lastError()).contains("HTTP 503");
        assertThat(status.lastSuccess()).isNull();
        assertThat(status.records()).isEqualTo(6);

        nvd.misbehave((n, exchange) -> false);
        int before = nvd.requests().size();
        FeedSync.Result resumed = sync.sync(feed(3));
        assertThat(resumed.succeeded()).isTrue();
        assertThat(NvdServer.query(nvd.requests().get(before).uri())).containsEntry("startIndex", "6");
        assertThat(storedIds()).hasSize(10).doesNotHaveDuplicates();
        assertThat(sync.status(feed(3)).lastError()).isNull();
    }

    @Test
    void malformedOrTruncatedJsonFailsTheSyncWithoutLosingWhatWasStored() throws Exception {
        for (int i = 1; i <= 6; i++) {
            nvd.put(cve(i), T0.minus(Duration.ofDays(30)));
        }
        nvd.misbehave((n, exchange) -> {
            if (n == 2) {
                TestServer.respond(exchange, 200, "{\"resultsPerPage\": 3, \"startIndex\": 3, \"totalResults\": 6, \"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-20");
                return true;
            }
            if (n == 3) {
                TestServer.respond(exchange, 200, "{\"message\": \"we are a CDN error page\"}");
                return true;
            }
            return false;
        });
        FeedSync.Result truncated = sync.sync(feed(3));
        assertThat(truncated.error()).contains("feed 'nvd'").contains("startIndex 3").contains("not valid JSON");
        FeedSync.Result wrongShape = sync.sync(feed(3));
        assertThat(wrongShape.error()).contains("not a CVE API 2.0 page");
        assertThat(storedIds()).hasSize(3);

        assertThat(sync.sync(feed(3)).succeeded()).isTrue();
        assertThat(storedIds()).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void aRecordLeavingTheWindowMidSyncDoesNotMakeItSkipAnother() throws Exception {
        sync.sync(feed(3)); // empty: the starting point is T0
        for (int i = 1; i <= 9; i++) {
            nvd.put(cve(i), T0.plus(Duration.ofHours(i)));
        }
        time.advance(Duration.ofDays(1));
        int before = nvd.requests().size();
        // After the first page, CVE 2 changes again: it leaves this window, moving CVE 4 to where page 1 was.
        nvd.afterPage(n -> {
            if (n == before + 1) {
                nvd.put(cve(2), T0.plus(Duration.ofDays(2)));
            }
        });
        FeedSync.Result result = sync.sync(feed(3));
        assertThat(result.succeeded()).as(result.error()).isTrue();
        assertThat(storedIds()).containsExactly(cve(1), cve(2), cve(3), cve(4), cve(5), cve(6), cve(7), cve(8), cve(9));
        assertThat(store.state(NvdFeed.NAME).records()).isEqualTo(9);

        // The next sync picks up CVE 2's new version.
        time.advance(Duration.ofDays(2));
        sync.sync(feed(3));
        assertThat(store.find(cve(2))).map(Advisory::modified).contains(T0.plus(Duration.ofDays(2)));
        assertThat(storedIds()).hasSize(9);
    }

    @Test
    void aRecordAddedDuringTheFirstListingIsNotLost() throws Exception {
        for (int i = 1; i <= 9; i += 2) {
            nvd.put(cve(i), T0.minus(Duration.ofDays(5)));
        }
        nvd.afterPage(n -> {
            if (n == 1) {
                nvd.put(cve(2), T0.plus(Duration.ofMinutes(1))); // published while we list, ahead of our index
            }
        });
        sync.sync(feed(2));
        time.advance(Duration.ofHours(1));
        sync.sync(feed(2));
        assertThat(storedIds()).containsExactly(cve(1), cve(2), cve(3), cve(5), cve(7), cve(9));
    }

    @Test
    void theApiKeyTravelsInItsHeaderOnlyWhenSet() throws Exception {
        new NvdFeed(transport, nvd.endpoint(), "secret-key", time.clock(), 10).sync(null, page -> { });
        new NvdFeed(transport, nvd.endpoint(), " ", time.clock(), 10).sync(null, page -> { });
        assertThat(nvd.requests()).extracting(r -> r.header("apiKey")).containsExactly("secret-key", null);
        assertThat(NvdFeed.policy(true).requestsPerPeriod()).isEqualTo(50);
        assertThat(NvdFeed.policy(false).requestsPerPeriod()).isEqualTo(5);
        assertThat(NvdFeed.policy(false).period()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anUnreadableCursorStartsOverRatherThanFailing() throws Exception {
        nvd.put(cve(1), T0.minus(Duration.ofDays(1)));
        store.storePage(NvdFeed.NAME, new FeedPage(List.of(), "garbage{"), T0);
        assertThat(sync.sync(feed(5)).succeeded()).isTrue();
        assertThat(storedIds()).containsExactly(cve(1));
    }
}

package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
class KevFeedTest {
    @Parameter
    Database.Kind kind;

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private final FakeTime time = new FakeTime(T0);
    private Database database;
    private AdvisoryStore store;
    private FeedSync sync;
    private TestServer server;
    private volatile String catalog;
    private volatile String etag;
    private KevFeed feed;

    static String catalog(String version, String... entries) {
        return """
                {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "%s",
                 "dateReleased": "2026-02-27T15:00:00.000Z", "count": %d, "vulnerabilities": [%s]}
                """.formatted(version, entries.length, String.join(",", entries));
    }

    static String entry(String cve, String added, String ransomware) {
        return """
                {"cveID": "%s", "vendorProject": "Example", "product": "Widget", "vulnerabilityName": "Widget flaw",
                 "dateAdded": "%s", "shortDescription": "Widget lets attackers in.", "requiredAction": "Patch.",
                 "dueDate": "2026-03-20", "knownRansomwareCampaignUse": "%s", "notes": "", "cwes": ["CWE-78"]}
                """.formatted(cve, added, ransomware);
    }

    @BeforeEach
    void start() throws IOException {
        database = Database.open(TestStores.fresh(kind, dir));
        store = new AdvisoryStore(database.jdbi());
        sync = new FeedSync(store, time.clock());
        server = new TestServer(exchange -> {
            String tag = etag;
            if (tag != null && tag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                TestServer.respond(exchange, 304, "", "ETag", tag);
            } else if (tag != null) {
                TestServer.respond(exchange, 200, catalog, "ETag", tag, "Content-Type", "application/json");
            } else {
                TestServer.respond(exchange, 200, catalog, "Content-Type", "application/json");
            }
        });
        ResilientTransport transport = new ResilientTransport(HttpClient.newHttpClient(), time,
                Map.of(KevFeed.NAME, FeedPolicy.DEFAULT.withAttempts(2, Duration.ofSeconds(1), Duration.ofSeconds(10))));
        feed = new KevFeed(transport, server.uri("/feeds/known_exploited_vulnerabilities.json"));
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void eachEntryBecomesAnAdvisoryCarryingTheKevFlag() throws Exception {
        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"), entry("CVE-2025-2222", "2026-02-20", "Unknown"),
                entry("not-a-cve", "2026-02-20", "Unknown"), entry("CVE-2025-3333", "yesterday", "Unknown"));
        FeedSync.Result result = sync.sync(feed);
        assertThat(result.succeeded()).isTrue();
        List<Advisory> stored = store.load(KevFeed.NAME);
        assertThat(stored).extracting(Advisory::id).containsExactly("CVE-2024-1111", "CVE-2025-2222");
        Advisory first = stored.get(0);
        assertThat(first.kev()).isEqualTo(new Advisory.Kev(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-03-20"), true));
        assertThat(first.cwes()).containsExactly("CWE-78");
        assertThat(first.summary()).isEqualTo("Widget lets attackers in.");
        assertThat(stored.get(1).kev().knownRansomwareUse()).isFalse();
    }

    @Test
    void anUnchangedCatalogIsNeitherDownloadedNorStoredAgain() throws Exception {
        etag = "\"v1\"";
        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"));
        List<Integer> pageSizes = new ArrayList<>();
        FeedSync.Listener listener = (name, pages, records) -> pageSizes.add(records);
        sync.sync(feed, listener);
        sync.sync(feed, listener);
        assertThat(server.requests().get(1).header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(pageSizes).containsExactly(1); // 304: no page at all

        etag = "\"v1-regzipped\""; // new validator, same catalog version: nothing to store
        sync.sync(feed, listener);
        assertThat(pageSizes).containsExactly(1, 0);
        assertThat(store.state(KevFeed.NAME).cursor()).contains("v1-regzipped");
        assertThat(sync.status(feed).lastSuccess()).isEqualTo(T0);
    }

    @Test
    void aNewCatalogReplacesTheOldOneEntirely() throws Exception {
        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"), entry("CVE-2024-2222", "2026-02-01", "Known"));
        sync.sync(feed);
        catalog = catalog("2026.02.28", entry("CVE-2024-2222", "2026-02-01", "Known"), entry("CVE-2026-0003", "2026-02-28", "Unknown"));
        sync.sync(feed);
        assertThat(store.load(KevFeed.NAME)).extracting(Advisory::id).containsExactly("CVE-2024-2222", "CVE-2026-0003");
        assertThat(store.state(KevFeed.NAME).records()).isEqualTo(2);
    }

    @Test
    void mergingPutsTheKevFlagOnTheOtherFeedsRecordsOfThatCve() throws Exception {
        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"));
        sync.sync(feed);
        store.storePage("osv-PyPI", new FeedPage(List.of(new Advisory("PYSEC-2024-7", List.of("CVE-2024-1111"), "widget flaw",
                null, null, null, List.of(), List.of(), List.of(), null)), "c"), T0);
        Advisory merged = store.find("PYSEC-2024-7").orElseThrow();
        assertThat(merged.id()).isEqualTo("PYSEC-2024-7");
        assertThat(merged.kev()).isNotNull();
        assertThat(merged.kev().knownRansomwareUse()).isTrue();
    }

    @Test
    void aBrokenCatalogFailsTheSyncAndTheStoredOneStaysServed() throws Exception {
        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"));
        sync.sync(feed);
        catalog = catalog.substring(0, catalog.length() / 2);
        time.advance(Duration.ofHours(30));
        FeedSync.Result truncated = sync.sync(feed);
        assertThat(truncated.succeeded()).isFalse();
        assertThat(truncated.error()).contains("feed 'kev'").contains("not valid JSON");
        catalog = "[1, 2, 3]";
        assertThat(sync.sync(feed).error()).contains("not a KEV catalog");

        assertThat(store.loadAll()).extracting(Advisory::id).containsExactly("CVE-2024-1111");
        FeedStatus status = sync.status(feed);
        assertThat(status.stale()).isTrue();
        assertThat(status.age()).isEqualTo(Duration.ofHours(30));
        assertThat(status.lastSuccess()).isEqualTo(T0);
        assertThat(status.lastError()).contains("not a KEV catalog");
        assertThat(status.records()).isEqualTo(1);
    }

    @Test
    void statusTellsNeverSyncedFreshAndStaleApart() throws Exception {
        FeedStatus never = sync.status(feed);
        assertThat(never.stale()).isTrue();
        assertThat(never.lastSuccess()).isNull();
        assertThat(never.age()).isNull();
        assertThat(never.freshnessTarget()).isEqualTo(Duration.ofHours(24));

        catalog = catalog("2026.02.27", entry("CVE-2024-1111", "2026-02-01", "Known"));
        sync.sync(feed);
        time.advance(Duration.ofHours(23));
        assertThat(sync.status(feed).stale()).isFalse();
        time.advance(Duration.ofHours(2));
        assertThat(sync.status(List.of(feed))).singleElement().satisfies(s -> {
            assertThat(s.stale()).isTrue();
            assertThat(s.lastError()).isNull();
        });
    }

    @Test
    void readsTheWholeRealCatalog() throws Exception {
        Path real = Path.of("../../shared/data/vuln/kev/known_exploited_vulnerabilities.json");
        if (!Files.exists(real)) {
            real = Path.of("/work/shared/data/vuln/kev/known_exploited_vulnerabilities.json");
        }
        assumeThat(Files.exists(real)).as("shared KEV catalog present").isTrue();
        catalog = Files.readString(real);
        JsonNode root = new ObjectMapper().readTree(catalog);
        assertThat(sync.sync(feed).succeeded()).isTrue();
        List<Advisory> stored = store.load(KevFeed.NAME);
        assertThat(stored).hasSize(root.get("count").asInt());
        assertThat(stored).allSatisfy(a -> assertThat(a.kev().dateAdded()).isNotNull());
        assertThat(stored.stream().filter(a -> a.kev().knownRansomwareUse()).count()).isPositive();
    }
}

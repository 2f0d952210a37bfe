package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.Feeds;
import dev.freshet.updates.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet feeds} end to end against local NVD and KEV servers. */
class FeedsCommandTest {
    private static final String NVD_PAGE = """
            {"resultsPerPage": 2, "startIndex": 0, "totalResults": 2, "format": "NVD_CVE", "version": "2.0",
             "timestamp": "2026-03-01T00:00:00.000", "vulnerabilities": [
              {"cve": {"id": "CVE-2026-0001", "published": "2026-01-01T00:00:00.000", "lastModified": "2026-01-02T00:00:00.000",
                       "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "First flaw"}]}},
              {"cve": {"id": "CVE-2026-0002", "published": "2026-01-01T00:00:00.000", "lastModified": "2026-01-02T00:00:00.000",
                       "vulnStatus": "Rejected", "descriptions": [{"lang": "en", "value": "** REJECT **"}]}}]}
            """;
    private static final String KEV = """
            {"catalogVersion": "2026.02.27", "dateReleased": "2026-02-27T00:00:00Z", "count": 1, "vulnerabilities": [
              {"cveID": "CVE-2026-0001", "dateAdded": "2026-02-27", "dueDate": "2026-03-20",
               "knownRansomwareCampaignUse": "Unknown", "shortDescription": "Exploited."}]}
            """;

    @TempDir
    Path dir;
    private HttpServer server;
    private volatile String kevBody = KEV;


    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/nvd", exchange -> answer(exchange, NVD_PAGE));
        server.createContext("/kev.json", exchange -> answer(exchange, kevBody));
        server.createContext("/osv/npm/all.zip", exchange -> answer(exchange, osvArchive()));
        server.start();
    }

    /** The OSV bucket's npm archive: one record, a lodash advisory that is also CVE-2026-0001. */
    private static byte[] osvArchive() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("GHSA-aaaa-bbbb-cccc.json"));
            out.write("""
                    {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2026-0001"], "modified": "2026-01-03T00:00:00Z",
                     "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}
                    """.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip.toByteArray();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        answer(exchange, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] sync(String... more) {
        String[] base = {"feeds", "sync", "--data-dir", dir.toString(), "--nvd-url", url("/nvd"), "--kev-url", url("/kev.json"),
                "--osv-url", url("/osv/"), "--osv-ecosystem", "npm"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void syncThenStatusShowsEveryFeedFresh() throws IOException {
        CliRun synced = run(sync());
        assertThat(synced.exit()).as(synced.err()).isZero();
        assertThat(synced.out()).contains("osv-npm ok     1 record(s)").contains("nvd    ok     2 record(s)")
                .contains("kev    ok     1 record(s)");

        CliRun status = run("feeds", "status", "--json", "--data-dir", dir.toString(), "--config", config(dir).toString());
        assertThat(status.exit()).isZero();
        JsonNode rows = new ObjectMapper().readTree(status.out());
        assertThat(rows).extracting(row -> row.get("feed").asText()).containsExactly("osv-npm", "nvd", "kev");
        assertThat(rows.get(1).get("records").asInt()).isEqualTo(2);
        assertThat(rows.get(1).get("stale").asBoolean()).isFalse();
        assertThat(rows.get(2).get("records").asInt()).isEqualTo(1);
        assertThat(rows.get(2).get("freshness_target_seconds").asLong()).isEqualTo(86_400);

        // One vulnerability, three feeds: merged by alias into one record with the KEV flag.
        try (var database = Database.open(dir)) {
            var merged = new AdvisoryStore(database.jdbi()).find("CVE-2026-0001").orElseThrow();
            assertThat(merged.ids()).containsExactly("GHSA-aaaa-bbbb-cccc", "CVE-2026-0001");
            assertThat(merged.kev()).isNotNull();
            assertThat(merged.summary()).isEqualTo("First flaw");
        }

        assertThat(run("feeds", "status", "--data-dir", dir.toString(), "--config", config(dir).toString()).out())
                .contains("fresh").doesNotContain("STALE");
    }

    /** A config that follows only the npm OSV ecosystem, as the syncs here do. */
    private static Path config(Path dir) throws IOException {
        return Files.writeString(dir.resolve("npm-only.toml"), "[feeds]\nosv_ecosystems = [\"npm\"]\n");
    }

    @Test
    void aFailingFeedExitsNonZeroAndKeepsItsStoredData() throws IOException {
        assertThat(run(sync("kev")).exit()).isZero();
        kevBody = "{\"catalogVersion\": \"2026.02.28\", \"vulnerabilities\": [";
        CliRun failed = run(sync("kev"));
        assertThat(failed.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(failed.out()).contains("kev    FAILED").contains("not valid JSON").contains("stored data kept: 1 records");

        CliRun status = run("feeds", "status", "--data-dir", dir.toString(), "--config", config(dir).toString());
        assertThat(status.out()).contains("last error: feed 'kev'").contains("never"); // nvd never synced
    }

    @Test
    void offlineEveryFeedFailsAtOnceWithOneLineEachAndStatusShowsThemFailing() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closed;
        Path config = Files.writeString(dir.resolve("offline.toml"), """
                [feeds]
                nvd_url = "%s/nvd"
                kev_url = "%s/kev.json"
                osv_url = "%s/osv/"
                ghsa_url = "%s/graphql"
                osv_ecosystems = ["npm", "PyPI"]
                """.formatted(nowhere, nowhere, nowhere, nowhere));
        CliRun offline = run("feeds", "sync", "--config", config.toString(), "--data-dir", dir.toString());
        assertThat(offline.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(offline.out().lines().filter(line -> line.contains("FAILED")))
                .as(offline.out()).hasSize(4) // osv-npm, osv-PyPI, nvd, kev (GitHub needs a token, so it is not a feed here)
                .allSatisfy(line -> assertThat(line).contains("cannot connect to 127.0.0.1:" + closed).doesNotContain("gave up after"));
        assertThat(offline.err()).as("each failure is printed once, not logged again").doesNotContain("cannot connect");

        CliRun status = run("feeds", "status", "--config", config.toString(), "--data-dir", dir.toString());
        assertThat(status.out()).contains("failing").contains("last error: feed").doesNotContain("never synced");
    }

    @Test
    void theConfigFileNamesEndpointsInItsFeedsSection() throws IOException {
        Path config = Files.writeString(dir.resolve("freshet.toml"), """
                [feeds]
                nvd_url = "%s"
                kev_url = "%s"
                osv_url = "%s"
                osv_ecosystems = ["npm"]
                """.formatted(url("/nvd"), url("/kev.json"), url("/osv/")));
        assertThat(Settings.resolve(config, null, Map.of()).feeds().kevUrl()).isEqualTo(url("/kev.json"));
        CliRun synced = run("feeds", "sync", "--config", config.toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(synced.exit()).as(synced.err()).isZero();
        Path typo = Files.writeString(dir.resolve("typo.toml"), "[feeds]\nkev_uri = \"http://x\"\n");
        assertThatThrownBy(() -> Settings.resolve(typo, null, Map.of())).hasMessageContaining("kev_uri");
    }

    @Test
    void mistakesAreNamed() {
        CliRun unknown = run(sync("osv-Hackage"));
        assertThat(unknown.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(unknown.err()).contains("no feed named 'osv-Hackage'; feeds: osv-npm, nvd, kev");
        assertThat(run(sync("--osv-ecosystem", "Hackage")).err()).contains("unknown OSV ecosystem 'Hackage'");
        CliRun badUrl = run("feeds", "sync", "kev", "--data-dir", dir.toString(), "--kev-url", "ftp://example.org/kev");
        assertThat(badUrl.err()).contains("--kev-url: 'ftp://example.org/kev' is not an http(s) URL");
    }

    @Test
    void endpointsComeFromFlagThenEnvironmentThenFileThenDefault() {
        Settings.FeedConfig file = new Settings.FeedConfig("http://file.example/nvd", "http://file.example/kev", null, null, null, null, null);
        FeedEndpoints flags = new FeedEndpoints();
        flags.nvd = "http://flag.example/nvd";
        Map<String, String> env = Map.of("FRESHET_NVD_URL", "http://env.example/nvd", "FRESHET_KEV_URL", "http://env.example/kev",
                "FRESHET_NVD_API_KEY", "k3y");
        Feeds.Settings settings = flags.resolve(env, file);
        assertThat(settings.nvd()).isEqualTo(URI.create("http://flag.example/nvd"));
        assertThat(settings.kev()).isEqualTo(URI.create("http://env.example/kev"));
        assertThat(settings.nvdApiKey()).isEqualTo("k3y");
        assertThat(new FeedEndpoints().resolve(Map.of(), file).kev())
                .isEqualTo(URI.create("http://file.example/kev"));
        assertThat(new FeedEndpoints().resolve(Map.of(), Settings.FeedConfig.NONE))
                .isEqualTo(Feeds.Settings.defaults());
        assertThatThrownBy(() -> new FeedEndpoints().resolve(Map.of(),
                new Settings.FeedConfig("not a url", null, null, null, null, null, null)))
                .hasMessageContaining("freshet.toml [feeds] nvd_url: 'not a url'");
    }
}

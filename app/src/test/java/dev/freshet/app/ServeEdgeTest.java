package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.bench.SlowBodyProbe;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's edge under hostile requests: deep and poisoned JSON, broken URIs, slow bodies, key guessing. */
class ServeEdgeTest {
    @TempDir
    static Path tmp;
    static FreshetService service;
    static Http admin;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        Path code = Files.createDirectories(tmp.resolve("code"));
        service = ServeFixture.start(tmp, code, 100_000, new FakeScans());
        key = service.bootstrapKey().orElseThrow();
        admin = Http.to(service.port(), key);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void jsonNestedThousandsOfLevelsIsRefusedNamingTheField() {
        String deep = "{\"filter\": ".repeat(3_000) + "1" + "}".repeat(3_000);
        for (String route : List.of("/api/sources", "/api/overrides", "/api/projects", "/api/keys", "/api/feeds/sync")) {
            ServeApiTest.assertError(admin.post(route, deep), 400, "field 'filter': over the reader's limits (at most 32 levels of nesting");
        }
        ServeApiTest.assertError(admin.post("/api/sources", "{\"name\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}"), 400,
                "field 'name'");
    }

    @Test
    void controlCharactersInStringsAndPathParametersAreRefusedNamingTheInput() {
        ServeApiTest.assertError(admin.post("/api/projects", "{\"name\": \"p\", \"path\": \"/srv/a\\u0000b\"}"), 400,
                "field 'path' holds a control character");
        ServeApiTest.assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\", \"paths\": [\"a\\u0001\"]}"), 400,
                "field 'paths[0]'");
        // Jetty refuses a NUL in the URI itself; other control characters reach the route, which refuses them.
        ServeApiTest.assertError(admin.get("/api/projects/a%00b/findings"), 400, "cannot be read");
        ServeApiTest.assertError(admin.get("/api/projects/a%01b/findings"), 400, "path parameter 'name'");
        ServeApiTest.assertError(admin.delete("/api/sources/a%1Fb"), 400, "path parameter 'name'");
        ServeApiTest.assertError(admin.get("/api/rules?q=a%00b"), 400, "query parameter 'q'");
    }

    @Test
    void refusalsJettyMakesItselfAnswerInTheApiShape() {
        int port = service.port();
        assertJsonError(RawHttp.exchange(port, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431, "headers are too large");
        assertJsonError(RawHttp.exchange(port, "GET /api/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                414, "URI is too long");
        assertJsonError(RawHttp.exchange(port, "GET /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "cannot be read");
    }

    @Test
    void guessingKeysIsThrottledPerAddressWithoutLookingKeysUp() throws Exception {
        // Another loopback address, so the throttle does not reach the other tests' requests.
        InetAddress guesser = InetAddress.getByName("127.0.0.2");
        InetAddress bystander = InetAddress.getByName("127.0.0.3");
        Http.Answer made = admin.post("/api/keys", "{\"tenant\": \"default\", \"role\": \"viewer\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        String fresh = made.json().get("key").asText();
        for (int i = 0; i < 10; i++) {
            assertThat(whoami(guesser, "fsk_guess" + i).status()).isEqualTo(401);
        }
        RawHttp.Response throttled = whoami(guesser, "fsk_guess-more");
        assertJsonError(throttled, 429, "too many failed authentications");
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 60);
        // A valid key never seen is refused too: the throttle answers before any lookup.
        assertThat(whoami(guesser, fresh).status()).isEqualTo(429);
        // Keys already known, and other addresses, are served as before.
        assertThat(whoami(guesser, key).status()).isEqualTo(200);
        assertThat(whoami(bystander, fresh).status()).isEqualTo(200);
    }

    @Test
    void tenantAdminsActOnlyWithinTheirTenantAndGlobalAdminsDeleteTenants() {
        assertThat(admin.get("/api/whoami").json().get("role").asText()).as("the first-start key").isEqualTo("global-admin");
        assertThat(admin.post("/api/tenants", "{\"name\": \"north\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/tenants", "{\"name\": \"south\"}").status()).isEqualTo(201);
        Http north = admin.as(madeKey(admin, "north", "admin"));
        String southAdminId = admin.post("/api/keys", "{\"tenant\": \"south\", \"role\": \"admin\"}").json().get("id").asText();

        ServeApiTest.assertError(north.post("/api/keys", "{\"tenant\": \"south\", \"role\": \"viewer\"}"), 403, "only its own tenant");
        ServeApiTest.assertError(north.delete("/api/keys/" + southAdminId), 404, "no valid API key");
        ServeApiTest.assertError(north.post("/api/keys", "{\"role\": \"global-admin\"}"), 403, "cannot make");
        ServeApiTest.assertError(north.get("/api/keys?tenant=south"), 403, "only its own tenant");
        ServeApiTest.assertError(north.get("/api/tenants"), 403, "needs the global-admin role");
        ServeApiTest.assertError(north.delete("/api/tenants/south"), 403, "needs the global-admin role");
        assertThat(north.get("/api/keys").json().findValuesAsText("tenant")).containsOnly("north");
        assertThat(north.post("/api/keys", "{\"role\": \"operator\"}").json().get("tenant").asText()).isEqualTo("north");

        Http southViewer = admin.as(madeKey(admin, "south", "viewer"));
        assertThat(southViewer.get("/api/whoami").status()).isEqualTo(200);
        Http.Answer deleted = admin.delete("/api/tenants/south");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().get("keys_revoked").asInt()).isEqualTo(2);
        assertThat(southViewer.get("/api/whoami").status()).as("its keys are refused at once").isEqualTo(401);
        assertThat(admin.get("/api/tenants").json().findValuesAsText("name")).doesNotContain("south");
        ServeApiTest.assertError(admin.delete("/api/tenants/south"), 404, "no tenant named 'south'");
        ServeApiTest.assertError(admin.delete("/api/tenants/default"), 409, "holds the key");

        // The command line deletes tenants too (it holds the store itself).
        Path config = tmp.resolve("freshet.toml");
        CliRun run = CliRun.of("tenants", "delete", "north", "--config", config.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("deleted tenant north: 2 key(s) revoked");
        CliRun again = CliRun.of("tenants", "delete", "north", "--config", config.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("no tenant named 'north'").doesNotContain("Exception");
    }

    @Test
    void localSourceLocationsObeyTheReadRootsAndCredentialsAreNeverShown() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside-repo"));
        Path root = Files.writeString(tmp.resolve("code").resolve("root.json"), "{}");
        for (String location : List.of("file://" + outside, outside.toString(), "file:///etc")) {
            ServeApiTest.assertError(admin.post("/api/sources", "{\"name\": \"sneaky\", \"kind\": \"git\", \"location\": \"" + location
                    + "\"}"), 403, "outside");
        }
        ServeApiTest.assertError(admin.post("/api/sources", "{\"name\": \"sneaky\", \"kind\": \"signed\", \"location\": \"file://"
                + outside + "/\", \"root\": \"" + root + "\"}"), 403, "outside");
        assertThat(admin.get("/api/sources").body()).doesNotContain("sneaky");

        String url = "http://deploy:TOKEN-8c1f@127.0.0.1:9/rules.git?private_token=QT0K";
        Http.Answer added = admin.post("/api/sources", "{\"name\": \"private\", \"kind\": \"git\", \"location\": \"" + url + "\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().get("location").asText()).isEqualTo("http://***@127.0.0.1:9/rules.git?private_token=***");
        admin.post("/api/updates/check", null); // fetching fails (nothing listens on port 9) and the error is recorded
        Http viewer = admin.as(madeKey(admin, "default", "viewer"));
        String listed = viewer.get("/api/sources").body();
        assertThat(listed).contains("private").contains("***").doesNotContain("TOKEN-8c1f").doesNotContain("QT0K");
        CliRun cli = CliRun.of("sources", "list", "--config", tmp.resolve("freshet.toml").toString(), "--json");
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("private").doesNotContain("TOKEN-8c1f").doesNotContain("QT0K");
        assertThat(admin.delete("/api/sources/private").status()).isEqualTo(200);
    }

    private static String madeKey(Http by, String tenant, String role) {
        Http.Answer made = by.post("/api/keys", "{\"tenant\": \"" + tenant + "\", \"role\": \"" + role + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asText();
    }

    private static RawHttp.Response whoami(InetAddress from, String secret) {
        return RawHttp.exchange(from, service.port(), "GET /api/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                + "\r\nConnection: close\r\n\r\n");
    }

    /**
     * Hundreds of uploads of one key trickling a byte every two seconds (the reliability bench's
     * probe): the key gets only its share of the server's threads (429 beyond it), the trickles are
     * cut off for their rate (408), and /health/live answers all along.
     */
    @Test
    void slowBodiesCannotTakeEveryServerThread() throws Exception {
        SlowBodyProbe.Result attack = SlowBodyProbe.run(service.port(), key, 300, Duration.ofSeconds(8));
        assertThat(attack.pollFailures()).as("health polls that failed: " + attack).isZero();
        assertThat(attack.outcomes()).as("how the slow uploads ended").containsKeys("429", "408").doesNotContainKeys("none", "500");
        assertThat(admin.as(null).get("/health/ready").status()).isEqualTo(200);
    }

    private static void assertJsonError(RawHttp.Response response, int status, String message) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.headers().toString()).startsWith("application/json");
        assertThat(response.body()).contains("\"error\"").contains(message);
    }
}

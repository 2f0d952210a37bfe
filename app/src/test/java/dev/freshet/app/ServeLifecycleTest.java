package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, restarting and stopping {@code freshet serve}; keys made on the command line; rate limits. */
class ServeLifecycleTest {
    @TempDir
    Path tmp;

    @Test
    void stoppingAnswersTheRequestInFlightThenRefusesConnections() throws Exception {
        FakeScans scans = new FakeScans();
        FreshetService service = ServeFixture.start(tmp, tmp, 1000, scans);
        Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
        scans.holdNextSubmission();
        CompletableFuture<Http.Answer> inFlight = CompletableFuture.supplyAsync(() -> http.post("/api/scans", "{\"path\": \"" + tmp + "\"}"));
        assertThat(scans.entered.await(30, TimeUnit.SECONDS)).as("the request reached the scan queue").isTrue();
        try (Socket open = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
            open.setSoTimeout(20_000);
            String live = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
            open.getOutputStream().write(live.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(RawHttp.read(open.getInputStream()).status()).isEqualTo(200);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(service::close);
            Thread.sleep(200); // the stop is now waiting for the request in flight
            assertThat(stopping).isNotDone();
            assertThatThrownBy(() -> http.get("/api/releases")).as("no new connections while draining")
                    .hasRootCauseInstanceOf(ClosedChannelException.class);
            // A connection already open gets Jetty's own refusal, in the API's shape and saying when to retry.
            open.getOutputStream().write(live.getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response refused = RawHttp.read(open.getInputStream());
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Content-Type")).startsWith("application/json");
            assertThat(refused.header("Retry-After")).as(refused.headers().toString()).isNotNull();
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();

            scans.release.countDown();
            assertThat(inFlight.get(30, TimeUnit.SECONDS).status()).as("the request in flight was answered").isEqualTo(202);
            stopping.get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> http.get("/health/live")).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void aRestartKeepsTheStoreAndMakesNoSecondAdminKeyOrStarterRelease() throws Exception {
        String key;
        String release;
        try (FreshetService first = ServeFixture.start(tmp, tmp, 1000, null)) {
            key = first.bootstrapKey().orElseThrow();
            release = first.starterRelease().orElseThrow();
            Http http = Http.to(first.port(), key);
            // The real scan queue: a path scan with the starter release, from submission to SARIF.
            Path code = Files.createDirectories(tmp.resolve("code"));
            Files.writeString(code.resolve("calc.py"), "def calc(expression):\n    return eval(expression)\n");
            Http.Answer submitted = http.post("/api/scans", "{\"path\": \"" + code + "\"}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
            String id = submitted.json().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String state = "queued";
            while (!state.equals("succeeded") && !state.equals("failed") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                state = http.get("/api/scans/" + id).json().get("state").asText();
            }
            assertThat(state).isEqualTo("succeeded");
            assertThat(http.get("/api/scans/" + id).json().get("findings").asInt()).isEqualTo(1);
            assertThat(http.get("/api/scans/" + id + "/results?format=sarif").body())
                    .contains("freshet-python-eval-exec-nonliteral");
            assertThat(http.get("/api/scans/unknown").status()).isEqualTo(404);
        }
        try (FreshetService second = ServeFixture.start(tmp, tmp, 1000, null)) {
            assertThat(second.bootstrapKey()).isEmpty();
            assertThat(second.starterRelease()).isEmpty();
            Http http = Http.to(second.port(), key);
            assertThat(http.get("/api/releases").json()).hasSize(1);
            assertThat(http.get("/health/ready").json().get("knowledge").asText()).isEqualTo(release);
        }
    }

    @Test
    void keysMadeOnTheCommandLineWorkAndRevokedKeysStopWorking() throws Exception {
        Path config = ServeFixture.config(tmp);
        CliRun made = CliRun.of("keys", "create", "--config", config.toString(), "--tenant", "acme", "--role", "viewer", "--json");
        assertThat(made.exit()).as(made.err()).isZero();
        String secret = new ObjectMapper().readTree(made.out()).get("key").asText();
        String id = new ObjectMapper().readTree(made.out()).get("id").asText();
        assertThat(CliRun.of("keys", "create", "--config", config.toString(), "--tenant", "acme", "--role", "god").err())
                .contains("unknown role 'god'");
        assertThat(CliRun.of("keys", "list", "--config", config.toString()).out()).contains(id).doesNotContain(secret);

        try (FreshetService service = ServeFixture.start(tmp, tmp, 1000, null)) {
            Http viewer = Http.to(service.port(), secret);
            assertThat(viewer.get("/api/whoami").json().get("tenant").asText()).isEqualTo("acme");
            assertThat(viewer.post("/api/updates/check", null).status()).isEqualTo(403);
            Http admin = viewer.as(service.bootstrapKey().orElseThrow());
            assertThat(admin.get("/api/keys?tenant=acme").body()).contains(id).doesNotContain(secret);
            assertThat(admin.delete("/api/keys/" + id).status()).isEqualTo(200);
            assertThat(viewer.get("/api/whoami").status()).isEqualTo(401);
        }
    }

    @Test
    void eachKeyHasItsOwnRateLimit() throws Exception {
        try (FreshetService service = ServeFixture.start(tmp, tmp, 3, null)) {
            Http admin = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            String other = admin.post("/api/keys", "{\"tenant\": \"default\", \"role\": \"viewer\"}").json().get("key").asText();
            List<Http.Answer> answers = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                answers.add(admin.get("/api/whoami"));
            }
            Http.Answer limited = answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
            assertThat(limited.error()).contains("rate limit");
            assertThat(Integer.parseInt(limited.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 429));
            assertThat(admin.as(other).get("/api/whoami").status()).as("another key is not limited by the first").isEqualTo(200);
            assertThat(admin.as(null).get("/health/live").status()).as("public routes have no key to limit").isEqualTo(200);
        }
    }

    @Test
    void serveRefusesABadReadRoot() {
        CliRun run = CliRun.of("serve", "--data-dir", tmp.resolve("d").toString(), "--read-root", tmp.resolve("missing").toString());
        assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("--read-root").contains("is not a directory");
        assertThat(Files.exists(tmp.resolve("d"))).isFalse();
    }
}

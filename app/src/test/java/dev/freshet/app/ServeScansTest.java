package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan routes over real HTTP with the real queue: path checks, quotas and a busy store answer as they should. */
class ServeScansTest {
    @TempDir
    Path tmp;

    @Test
    void everyPathOutsideTheReadRootGetsTheSame403WhetherItExistsOrNot() throws Exception {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.createDirectories(code.resolve("shop"));
        Files.createSymbolicLink(code.resolve("out"), tmp);
        try (FreshetService service = ServeFixture.start(tmp, code, 1000, null)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            for (Path outside : List.of(tmp, tmp.resolve("missing"), Path.of("/no/such/dir"), code.resolve("out"),
                    code.resolve("out/missing/deeper"), code.resolve("../data"))) {
                Http.Answer refused = http.post("/api/scans", "{\"path\": \"" + outside + "\"}");
                assertThat(refused.status()).as(outside.toString()).isEqualTo(403);
                assertThat(refused.error()).isEqualTo("path '" + outside + "' is outside the directories this server may read");
            }
            Http.Answer missing = http.post("/api/scans", "{\"path\": \"" + code.resolve("missing") + "\"}");
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.error()).isEqualTo("path '" + code.resolve("missing") + "' is not a directory on the server");
            assertThat(http.post("/api/scans", "{\"path\": \"" + code.resolve("shop") + "\"}").status()).isEqualTo(202);
        }
    }

    @Test
    void scanLimitsBelowOneAreRefusedBeforeServing() throws Exception {
        Path config = ServeFixture.config(tmp);
        CliRun run = CliRun.of("serve", "--config", config.toString(), "--port", "0", "--max-findings", "0");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--max-findings and --max-scans-per-tenant ([scans] max_findings, max_per_tenant) must be at least 1");
    }

    @Test
    void aBusyStoreAnswers503WithRetryAfterNot500() throws Exception {
        try (FreshetService service = ServeFixture.start(tmp, tmp, 1000, null)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            assertThat(http.get("/api/scans/unknown").status()).isEqualTo(404);
            // Every connection of the pool taken, as slow downloads used to take them.
            int size = ((HikariDataSource) service.database().dataSource()).getMaximumPoolSize();
            List<Handle> held = new ArrayList<>();
            try {
                for (int i = 0; i < size; i++) {
                    held.add(service.database().jdbi().open());
                }
                Http.Answer busy = http.get("/api/scans/unknown");
                assertThat(busy.status()).as(busy.body()).isEqualTo(503);
                assertThat(busy.error()).isEqualTo("the store is busy; try again shortly");
                assertThat(busy.raw().headers().firstValue("Retry-After")).hasValue("2");
            } finally {
                held.forEach(Handle::close);
            }
            assertThat(http.get("/api/scans/unknown").status()).as("answers again once connections are free").isEqualTo(404);
        }
    }

    @Test
    void aFullQueueAndATenantsQuotaSayWhenToRetry() throws Exception {
        FakeScans scans = new FakeScans();
        try (FreshetService service = ServeFixture.start(tmp, tmp, 1000, scans)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            for (int status : List.of(429, 503)) {
                scans.refuseNext(status);
                Http.Answer refused = http.post("/api/scans", "{\"path\": \"" + tmp + "\"}");
                assertThat(refused.status()).isEqualTo(status);
                assertThat(refused.raw().headers().firstValue("Retry-After")).as("status %d", status).hasValue("2");
            }
        }
    }

    @Test
    void aScanReportIsStreamedWhole() throws Exception {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("calc.py"), "def calc(e):\n" + "    eval(e)\n".repeat(2000));
        try (FreshetService service = ServeFixture.start(tmp, code, 1000, null)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            String id = http.post("/api/scans", "{\"path\": \"" + code + "\"}").json().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!http.get("/api/scans/" + id).json().get("state").asText().equals("succeeded") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Http.Answer report = http.get("/api/scans/" + id + "/results?format=json");
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(report.json().get("results")).hasSize(2000);
        }
    }
}

package dev.freshet.app;

import static dev.freshet.app.RolloutCommandTest.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A caller asks for a cohort on {@code POST /api/scans} to test a candidate, through the real server and queue. */
class ServeCohortTest {
    @TempDir
    Path tmp;

    @Test
    void aCallerGetsTheCohortItAsksForAndAnUnknownCohortIsA400() throws Exception {
        Release stable;
        Release candidate;
        try (Database database = Database.open(tmp.resolve("data"))) {
            Clock clock = Clock.systemUTC();
            ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
            ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
            stable = releases.create(List.of(rule("evals", "eval($X)")), new GateReport(List.of()));
            candidate = releases.create(List.of(rule("evals", "eval($X)"), rule("prints", "print($X)")), new GateReport(List.of()));
            activations.activate(stable.id(), Trigger.USER, "stable");
            // Still in shadow: no unit's own bucket is served the candidate, so what serves it here is the request.
            new RolloutEngine(database.jdbi(), activations, clock).start(candidate.id(), Optional.of(RolloutPlan.DEFAULT), "test");
        }
        Path code = Files.createDirectories(tmp.resolve("code"));
        Files.writeString(code.resolve("calc.py"), "def calc(e):\n    print(e)\n    eval(e)\n");
        String path = "{\"path\": \"" + code + "\"";
        try (FreshetService service = ServeFixture.start(tmp, code, 1000, null)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());

            JsonNode asked = finished(http, scan(http, path + "}", "candidate"));
            assertThat(asked.get("release_id").asText()).isEqualTo(candidate.id());
            assertThat(ruleIds(http, asked)).containsExactlyInAnyOrder("evals", "prints");
            JsonNode byField = finished(http, http.post("/api/scans", path + ", \"cohort\": \"Candidate\"}"));
            assertThat(byField.get("release_id").asText()).isEqualTo(candidate.id());
            JsonNode kept = finished(http, scan(http, path + ", \"cohort\": \"stable\"}", "stable"));
            assertThat(kept.get("release_id").asText()).isEqualTo(stable.id());
            assertThat(ruleIds(http, kept)).containsExactly("evals");
            JsonNode own = finished(http, http.post("/api/scans", path + "}"));
            assertThat(own.get("release_id").asText()).as("in shadow every bucket is served stable").isEqualTo(stable.id());

            ServeApiTest.assertError(scan(http, path + "}", "canary"), 400,
                    "X-Freshet-Cohort header: cohort 'canary' is not known: use candidate or stable");
            ServeApiTest.assertError(http.post("/api/scans", path + ", \"cohort\": 5}"), 400, "field cohort: cohort '5' is not known");
            ServeApiTest.assertError(http.post("/api/scans", path + ", \"cohort\": \"beta\"}"), 400,
                    "field cohort: cohort 'beta' is not known: use candidate or stable");
            ServeApiTest.assertError(scan(http, path + ", \"cohort\": \"stable\"}", "candidate"), 400,
                    "the X-Freshet-Cohort header and the field cohort ask for different cohorts; send one");
            Http.Answer upload = http.send(http.builder("/api/scans?name=shop.zip").header("Content-Type", "application/zip")
                    .header("X-Freshet-Cohort", "nightly").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'P', 'K', 3, 4})));
            ServeApiTest.assertError(upload, 400, "X-Freshet-Cohort header: cohort 'nightly' is not known: use candidate or stable");

            Http.Answer check = http.post("/api/updates/check", "{\"rollout\": \"shadow,100\", \"interval\": \"1m\"}");
            assertThat(check.status()).as(check.body()).isEqualTo(200);
            assertThat(check.json().get("rollout").isNull()).as("no source, no new release, no new rollout").isTrue();

            JsonNode parameters = http.get("/openapi.json").json().at("/paths/~1api~1scans/post/parameters");
            assertThat(StreamSupport.stream(parameters.spliterator(), false)
                    .filter(p -> p.get("in").asText().equals("header")).map(p -> p.get("name").asText()))
                    .containsExactly("X-Freshet-Cohort", "Idempotency-Key");
        }
    }

    private static Http.Answer scan(Http http, String body, String cohort) {
        return http.send(http.builder("/api/scans").header("Content-Type", "application/json").header("X-Freshet-Cohort", cohort)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode finished(Http http, Http.Answer submitted) throws InterruptedException {
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode scan = http.get("/api/scans/" + id).json();
        while (!scan.get("state").asText().equals("succeeded") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            scan = http.get("/api/scans/" + id).json();
        }
        assertThat(scan.get("state").asText()).as(scan.toString()).isEqualTo("succeeded");
        return scan;
    }

    private static List<String> ruleIds(Http http, JsonNode scan) {
        JsonNode results = http.get("/api/scans/" + scan.get("id").asText() + "/results").json().get("results");
        return StreamSupport.stream(results.spliterator(), false).map(r -> r.get("rule_id").asText()).distinct().toList();
    }
}

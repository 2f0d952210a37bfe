package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.updates.access.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model version's whole road through the real CLI and a real server: trained, learned into a
 * new version on the model's track, shadowed on scored requests, promoted by the rollout engine's
 * analysis, served by the score API, and rolled back, which the very next request sees.
 */
class ServeModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACK = "models/http-anomaly";

    @TempDir
    Path tmp;

    @Test
    void aLearnedVersionIsShadowedPromotedServedAndRolledBack() throws Exception {
        Path config = ServeFixture.config(tmp);
        Files.createDirectories(tmp.resolve("data"));
        // Shadow, then everyone: an analysis window of a second that waits (instead of pausing) while requests are few;
        // scoring time on a cold JIT is not what this test judges.
        Files.writeString(tmp.resolve("data").resolve("policy.toml"), """
                [rollout]
                steps = ["shadow", "100"]
                interval_seconds = 1
                inconclusive = "wait"
                min_scans = 5
                max_p95_ratio = 1000.0
                """);
        Path benign = tmp.resolve("benign.txt");
        Files.writeString(benign, raw(targets(2_000, 7, List.of("item", "search"))));
        CliRun train = CliRun.of("models", "train", "http-anomaly", "--benign", benign.toString(), "--config", config.toString(), "--json");
        assertThat(train.exit()).as(train.out() + train.err()).isZero();
        String first = JSON.readTree(train.out()).at("/version/release").asText();

        Path log = tmp.resolve("access.log");
        Files.writeString(log, combined(targets(600, 8, List.of("cart"))));
        CliRun learn = CliRun.of("models", "learn", "http-anomaly", "--log", log.toString(), "--min-samples", "200",
                "--config", config.toString(), "--json");
        assertThat(learn.exit()).as(learn.out() + learn.err()).isZero();
        JsonNode learned = JSON.readTree(learn.out());
        String second = learned.at("/version/release").asText();
        assertThat(learned.at("/rollout/step").asInt()).as("the new version starts in shadow").isZero();
        assertThat(learned.get("activated").asBoolean()).isFalse();

        try (FreshetService service = ServeFixture.start(tmp, tmp, 10_000, null)) {
            Http http = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            JsonNode shadowed = score(http, "/shop/cart?sku=1234&qty=2", "client-1");
            assertThat(shadowed.get("release").asText()).as("in shadow stable answers").isEqualTo(first);
            assertThat(shadowed.get("candidate").asBoolean()).isFalse();
            assertThat(shadowed.get("anomalous").asBoolean()).as("the first version never saw the cart").isTrue();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            JsonNode rollout = http.get("/api/rollouts/current?track=" + TRACK).json();
            for (int i = 0; !rollout.at("/rollout/state").asText().equals("PROMOTED") && System.nanoTime() < deadline; i++) {
                score(http, targets(1, i, List.of("cart")).getFirst(), "client-" + i);
                Thread.sleep(50);
                rollout = http.get("/api/rollouts/current?track=" + TRACK).json();
            }
            assertThat(rollout.at("/rollout/state").asText()).as(rollout.toString()).isEqualTo("PROMOTED");
            assertThat(rollout.at("/rollout/analysis/breaches").size()).as(rollout.toString()).isZero();

            JsonNode promoted = score(http, "/shop/cart?sku=4321&qty=3", "client-1");
            assertThat(promoted.get("release").asText()).isEqualTo(second);
            assertThat(promoted.get("anomalous").asBoolean()).as(promoted.toString()).isFalse();

            Http.Answer rollback = http.post("/api/rollback", "{\"track\": \"" + TRACK + "\", \"to\": \"" + first + "\", \"reason\": \"test\"}");
            assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
            assertThat(score(http, "/shop/cart?sku=4321&qty=3", "client-1").get("release").asText())
                    .as("the request right after the rollback is scored by the version rolled back to").isEqualTo(first);

            // Activation by a person follows the track's plan; only an admin may skip it.
            Http.Answer planned = http.post("/api/releases/" + second + "/activate", "{\"reason\": \"again\"}");
            assertThat(planned.status()).as(planned.body()).isEqualTo(200);
            assertThat(planned.json().at("/rollout/step").asInt()).as(planned.body()).isZero();
            assertThat(http.post("/api/rollouts/abort?track=" + TRACK, "{}").status()).isEqualTo(200);
            String operatorKey = service.parts().updates().access().createKey(FreshetService.BOOTSTRAP_TENANT, Role.OPERATOR, "test").secret();
            ServeApiTest.assertError(Http.to(service.port(), operatorKey).post("/api/releases/" + second + "/activate",
                    "{\"immediate\": true}"), 403, "needs the admin role");
            Http.Answer immediate = http.post("/api/releases/" + second + "/activate", "{\"immediate\": true}");
            assertThat(immediate.status()).as(immediate.body()).isEqualTo(200);
            assertThat(immediate.json().get("release_id").asText()).isEqualTo(second);
            assertThat(score(http, "/shop/cart?sku=4321&qty=3", "client-1").get("release").asText()).isEqualTo(second);
            http.post("/api/rollback", "{\"track\": \"" + TRACK + "\", \"to\": \"" + first + "\"}");

            Http.Answer report = http.post("/api/models/http-anomaly/feedback", "{\"release\": \"" + first
                    + "\", \"kind\": \"false_positive\", \"request\": {\"method\": \"GET\", \"url\": \"/shop/cart?sku=4321&qty=3\"}}");
            assertThat(report.status()).as(report.body()).isEqualTo(201);
            JsonNode versions = http.get("/api/models/http-anomaly/versions").json();
            assertThat(versions.size()).isEqualTo(2);
            assertThat(versions.get(1).at("/reports/false_positive").asLong()).isEqualTo(1);
            assertThat(versions.get(1).get("active").asBoolean()).isTrue();
            String metrics = http.get("/metrics").body();
            assertThat(metrics).contains("freshet_model_scored_total{anomalous=\"false\",release=\"" + second)
                    .contains("freshet_model_feedback_total{kind=\"false_positive\",release=\"" + first)
                    .contains("freshet_model_active{candidate=\"false\",release=\"" + first);
        }
        CliRun history = CliRun.of("update", "history", "--track", TRACK, "--config", config.toString(), "--json");
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(JSON.readTree(history.out()).findValuesAsText("kind"))
                .containsExactly("ACTIVATE", "ACTIVATE", "ROLLBACK", "ACTIVATE", "ROLLBACK");
    }

    @Test
    void badScoreAndFeedbackRequestsGetOneClearMessage() throws Exception {
        Path config = ServeFixture.config(tmp);
        Path benign = tmp.resolve("benign.txt");
        Files.writeString(benign, raw(targets(500, 9, List.of("item"))));
        String key;
        try (FreshetService service = ServeFixture.start(tmp, tmp, 10_000, null)) {
            key = service.bootstrapKey().orElseThrow();
            String one = "{\"request\": {\"method\": \"GET\", \"url\": \"/shop/item?id=1\"}}";
            ServeApiTest.assertError(Http.to(service.port(), key).post("/api/models/http-anomaly/score", one), 409,
                    "no version of models/http-anomaly is active");
        }
        assertThat(CliRun.of("models", "train", "http-anomaly", "--benign", benign.toString(), "--config", config.toString()).exit()).isZero();
        try (FreshetService service = ServeFixture.start(tmp, tmp, 10_000, null)) {
            Http http = Http.to(service.port(), key);
            String path = "/api/models/http-anomaly/score";
            ServeApiTest.assertError(http.post("/api/models/other/score", "{\"request\": {\"raw\": \"GET / HTTP/1.1\\n\\n\"}}"), 404,
                    "no model 'other'");
            ServeApiTest.assertError(http.post(path, "{}"), 400, "give either 'request' (one) or 'requests' (a batch)");
            ServeApiTest.assertError(http.post(path, "{\"request\": {\"raw\": \"GET / HTTP/1.1\\n\\n\", \"method\": \"GET\"}}"), 400,
                    "give either 'raw' or 'method' and 'url'");
            ServeApiTest.assertError(http.post(path, "{\"request\": {\"raw\": \"GET /a b HTTP/1.1\"}}"), 400,
                    "'request': not an HTTP request line");
            ServeApiTest.assertError(http.post(path, "{\"request\": {\"method\": \"G E T\", \"url\": \"/\"}}"), 400, "not an HTTP method");
            ServeApiTest.assertError(http.post(path, "{\"request\": {\"method\": \"GET\", \"url\": \"/\"}, \"cohort\": \"beta\"}"), 400,
                    "cohort 'beta' is not known");
            ServeApiTest.assertError(http.post(path, "{\"request\": {\"method\": \"GET\", \"url\": \"/\", \"port\": 80}}"), 400, "port");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                many.add("{\"method\": \"GET\", \"url\": \"/a\"}");
            }
            ServeApiTest.assertError(http.post(path, "{\"requests\": [" + String.join(",", many) + "]}"), 400, "send 1 to 100 per call");
            ServeApiTest.assertError(http.post(path, "{\"requests\": [null]}"), 400, "'requests[0]' is null");
            ServeApiTest.assertError(http.post(path, "{\"requests\": [{\"raw\": \"" + "A".repeat(70_000) + "\"}]}"), 413, "");

            Http.Answer batch = http.post(path, "{\"requests\": [{\"method\": \"GET\", \"url\": \"/shop/item?id=3&name=Ana\"},"
                    + " {\"raw\": \"GET /shop/item?id=3&name=%27%20or%201%3D1%20-- HTTP/1.1\\nHost: shop\\n\\n\"}]}");
            assertThat(batch.status()).as(batch.body()).isEqualTo(200);
            assertThat(batch.json().at("/results/0/anomalous").asBoolean()).isFalse();
            assertThat(batch.json().at("/results/1/anomalous").asBoolean()).isTrue();
            assertThat(batch.json().at("/results/1/findings/0/where").asText()).contains("name");

            String feedback = "/api/models/http-anomaly/feedback";
            String request = "\"request\": {\"method\": \"GET\", \"url\": \"/shop/item?id=3\"}";
            ServeApiTest.assertError(http.post(feedback, "{\"kind\": \"false_positive\", " + request + "}"), 400, "'release' is needed");
            ServeApiTest.assertError(http.post(feedback, "{\"release\": \"abc\", \"kind\": \"maybe\", " + request + "}"), 400,
                    "use false_positive or missed_attack");
            ServeApiTest.assertError(http.post(feedback, "{\"release\": \"abcdef\", \"kind\": \"missed_attack\", " + request + "}"), 404,
                    "No release 'abcdef'");
            String rules = http.get("/api/releases").json().get(0).get("id").asText();
            ServeApiTest.assertError(http.post(feedback, "{\"release\": \"" + rules + "\", \"kind\": \"missed_attack\", " + request + "}"),
                    400, "is not a version of models/http-anomaly");
        }
    }

    private static JsonNode score(Http http, String target, String client) {
        Http.Answer answer = http.post("/api/models/http-anomaly/score", "{\"request\": {\"method\": \"GET\", \"url\": \"" + target
                + "\", \"headers\": {\"User-Agent\": \"Mozilla/5.0\"}, \"client\": \"" + client + "\"}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> targets(int count, long seed, List<String> routes) {
        String[] names = {"Ana", "Luis", "Marta", "Jon", "Eva", "Rosa", "Pau", "Sara", "Hugo", "Teo"};
        Random random = new Random(seed);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = names[random.nextInt(names.length)];
            targets.add(switch (routes.get(i % routes.size())) {
                case "item" -> "/shop/item?id=" + (1 + random.nextInt(500)) + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
                case "search" -> "/shop/search?q=" + name.toLowerCase() + "&page=" + random.nextInt(9);
                default -> "/shop/cart?sku=" + (1000 + random.nextInt(9000)) + "&qty=" + (1 + random.nextInt(9));
            });
        }
        return targets;
    }

    /** Raw requests one after the other, as CSIC 2010 writes them. */
    private static String raw(List<String> targets) {
        StringBuilder text = new StringBuilder();
        targets.forEach(t -> text.append("GET http://localhost:8080").append(t).append(" HTTP/1.1\nUser-Agent: Mozilla/5.0\nHost: localhost:8080\n\n\n"));
        return text.toString();
    }

    /** Combined-format log lines from 10 clients, all 200. */
    private static String combined(List<String> targets) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < targets.size(); i++) {
            text.append("10.0.").append(i % 10).append(".9 - - [07/Dec/2026:03:00:00 +0000] \"GET ").append(targets.get(i))
                    .append(" HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n");
        }
        return text.toString();
    }
}

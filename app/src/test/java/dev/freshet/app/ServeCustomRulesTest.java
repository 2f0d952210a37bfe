package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom rules asked for with a scan, over real HTTP: plans, credits, idempotency, and each tenant's rules in its own scans only. */
class ServeCustomRulesTest {
    @TempDir
    Path tmp;

    @Test
    void customRulesWithAScanAreBilledOnceAndServeOnlyTheirTenant() throws Exception {
        Path code = Files.createDirectories(tmp.resolve("code"));
        Path shop = copy(Path.of("../bench/generation/projects/express-mongoose"), code.resolve("shop"));
        try (FreshetService service = ServeFixture.start(tmp, code, 1000, null)) {
            Http admin = Http.to(service.port(), service.bootstrapKey().orElseThrow());
            String body = "{\"path\": \"" + shop + "\", \"custom_rules\": true, \"custom_rules_qty\": 2}";

            Http.Answer first = admin.send(admin.builder("/api/scans").header("Content-Type", "application/json")
                    .header("Idempotency-Key", "k1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            JsonNode accepted = first.json().get("custom_rules");
            String requestId = accepted.get("request_id").asText();
            assertThat(accepted.get("location").asText()).isEqualTo("/api/custom-rules/" + requestId);
            assertThat(first.raw().headers().firstValue("Location")).as("the header, as the body field").hasValue("/api/custom-rules/" + requestId);
            JsonNode done = awaitDone(admin, accepted.get("location").asText());
            JsonNode result = done.get("result");
            assertThat(result.get("rules")).hasSize(2).allSatisfy(rule -> assertThat(rule.get("outcome").asText()).isEqualTo("validated"));
            assertThat(result.get("rules").get(0).fieldNames()).toIterable().containsExactly("id", "outcome", "attempts", "reason", "yaml");
            assertThat(result.get("charges").toString()).isEqualTo("{\"processing\":2,\"success\":2,\"refunded\":0,\"total\":4}");
            Http.Answer again = admin.send(admin.builder("/api/scans").header("Content-Type", "application/json")
                    .header("Idempotency-Key", "k1").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
            assertThat(again.json().get("custom_rules").get("request_id").asText()).isEqualTo(requestId);
            assertThat(again.json().get("custom_rules").get("state").asText()).isEqualTo("done");
            assertThat(admin.get("/api/credits").json().get("balance").asLong()).as("charged once").isEqualTo(Parts.DEFAULT_STARTING_GRANT - 4);
            assertThat(admin.get("/api/credits/ledger").json()).hasSize(4);
            assertThat(ruleIds(admin, done.get("scan_id").asText())).as("the scan it came with uses the new rules")
                    .contains("custom.default.express-nosql-injection");
            JsonNode library = admin.get("/api/tenants/default/rules").json();
            assertThat(library.get("track").asText()).isEqualTo("tenants/default/rules");
            assertThat(library.get("rules")).hasSize(2).allSatisfy(rule -> {
                assertThat(rule.get("status").asText()).isEqualTo("live");
                assertThat(rule.get("generation").get("request").asText()).isEqualTo(requestId);
                assertThat(rule.get("created_at").asText()).isNotBlank();
            });
            assertThat(admin.get("/api/custom-rules/nope").status()).isEqualTo(404);
            assertThat(admin.get("/api/tenants/nobody/rules").status()).isEqualTo(404);

            assertThat(admin.post("/api/scans", "{\"path\": \"" + shop + "\", \"custom_rules\": true, \"custom_rules_qty\": 11}").status())
                    .isEqualTo(400);
            assertThat(admin.post("/api/scans", "{\"path\": \"" + shop + "\", \"custom_rules_qty\": 2}").error())
                    .isEqualTo("custom_rules_qty and custom_rules_model need custom_rules: true");

            assertThat(admin.post("/api/tenants", "{\"name\": \"acme\"}").status()).isEqualTo(201);
            Http acme = admin.as(admin.post("/api/keys", "{\"tenant\": \"acme\", \"role\": \"operator\"}").json().get("key").asText());
            Http.Answer free = acme.post("/api/scans", body);
            assertThat(free.status()).isEqualTo(403);
            assertThat(free.error()).contains("free plan");
            assertThat(acme.post("/api/credits/grants", "{\"tenant\": \"acme\", \"amount\": 50}").status()).as("only global admins grant")
                    .isEqualTo(403);
            assertThat(admin.send("PUT", "/api/tenants/acme/plan", "{\"plan\": \"standard\"}").status()).isEqualTo(200);
            Http.Answer broke = acme.post("/api/scans", body);
            assertThat(broke.status()).isEqualTo(402);
            assertThat(broke.error()).contains("has 0 credits; this needs 2");
            assertThat(admin.post("/api/credits/grants", "{\"tenant\": \"acme\", \"amount\": 3, \"key\": \"g-acme\"}").status()).isEqualTo(201);
            assertThat(admin.post("/api/credits/grants", "{\"tenant\": \"acme\", \"amount\": 3, \"key\": \"g-acme\"}").status())
                    .as("a repeated grant returns the entry it made").isEqualTo(201);
            assertThat(acme.get("/api/credits").json().get("balance").asLong()).isEqualTo(3);
            Http.Answer acmeRequest = acme.post("/api/scans", "{\"path\": \"" + shop + "\", \"custom_rules\": true, \"custom_rules_qty\": 1}");
            assertThat(acmeRequest.status()).isEqualTo(202);
            String acmeLocation = acmeRequest.json().get("custom_rules").get("location").asText();
            awaitDone(acme, acmeLocation);
            assertThat(acme.get("/api/credits").json().get("balance").asLong()).isEqualTo(1);
            assertThat(acme.get(location(requestId)).status()).as("another tenant's request").isEqualTo(404);
            assertThat(admin.get(acmeLocation).status()).as("a global admin sees any").isEqualTo(200);
            assertThat(acme.get("/api/tenants/default/rules").status()).as("another tenant's library").isEqualTo(404);
            assertThat(acme.get("/api/tenants/acme/rules").json().get("rules")).singleElement()
                    .satisfies(rule -> assertThat(rule.get("rule_id").asText()).startsWith("custom.acme."));
            assertThat(acme.get("/api/credits?tenant=default").status()).isEqualTo(403);

            String acmeScan = acme.post("/api/scans", "{\"path\": \"" + shop + "\"}").json().get("id").asText();
            String adminScan = admin.post("/api/scans", "{\"path\": \"" + shop + "\"}").json().get("id").asText();
            assertThat(ruleIds(acme, acmeScan)).contains("custom.acme.express-nosql-injection").noneMatch(id -> id.startsWith("custom.default."));
            assertThat(ruleIds(admin, adminScan)).contains("custom.default.express-nosql-injection").noneMatch(id -> id.startsWith("custom.acme."));
        }
    }

    private static String location(String requestId) {
        return "/api/custom-rules/" + requestId;
    }

    /** Polls a request for custom rules until it is done and its scan is queued. */
    private static JsonNode awaitDone(Http http, String location) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Answer answer = http.get(location);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode status = answer.json();
            if (status.get("state").asText().equals("done") && status.hasNonNull("scan_id")) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(location + " not done in time");
    }

    private static List<String> ruleIds(Http http, String scanId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!http.get("/api/scans/" + scanId).json().get("state").asText().equals("succeeded") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> ids = new ArrayList<>();
        http.get("/api/scans/" + scanId + "/results?format=json").json().get("results").forEach(r -> ids.add(r.get("rule_id").asText()));
        return ids;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }
}

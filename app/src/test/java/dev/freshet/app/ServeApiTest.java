package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet serve} over real HTTP on loopback: first start, roles, tenants, bad input, OpenAPI, health, metrics. */
class ServeApiTest {
    @TempDir
    static Path tmp;
    static Path code;
    static FreshetService service;
    static FakeScans scans = new FakeScans();
    static Http admin;
    static Map<String, Http> byRole;

    @BeforeAll
    static void start() throws Exception {
        code = Files.createDirectories(tmp.resolve("code"));
        Files.createDirectories(code.resolve("shop"));
        service = ServeFixture.start(tmp, code, 100_000, scans);
        admin = Http.to(service.port(), service.bootstrapKey().orElseThrow());
        byRole = Map.of("global-admin", admin, "admin", admin.as(key("default", "admin")), "operator", admin.as(key("default", "operator")),
                "viewer", admin.as(key("default", "viewer")));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static String key(String tenant, String role) {
        if (admin.get("/api/tenants").json().findValuesAsText("name").stream().noneMatch(tenant::equals)) {
            assertThat(admin.post("/api/tenants", "{\"name\": \"" + tenant + "\"}").status()).isEqualTo(201);
        }
        Http.Answer made = admin.post("/api/keys", "{\"tenant\": \"" + tenant + "\", \"role\": \"" + role + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asText();
    }

    @Test
    void firstStartServesTheStarterRulesAsTheActiveRelease() {
        String release = service.starterRelease().orElseThrow();
        Http.Answer ready = admin.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("knowledge").asText()).isEqualTo(release);
        assertThat(ready.json().get("rules").asInt()).isGreaterThanOrEqualTo(10);

        JsonNode releases = admin.get("/api/releases").json();
        assertThat(releases).hasSize(1);
        assertThat(releases.get(0).get("active").asBoolean()).isTrue();
        assertThat(admin.get("/api/sources").json().get(0).get("name").asText()).isEqualTo("freshet-starter");

        JsonNode found = admin.get("/api/rules?q=PICKLE").json();
        assertThat(found.get("release_id").asText()).isEqualTo(release);
        assertThat(found.get("rules").findValuesAsText("id")).containsExactly("freshet-python-pickle-untrusted-load");

        JsonNode rule = admin.get("/api/rules/freshet-python-pickle-untrusted-load").json();
        assertThat(rule.get("source").asText()).isEqualTo("freshet-starter");
        assertThat(rule.get("path").asText()).isEqualTo("python/pickle-untrusted-load.yaml");
        assertThat(rule.get("release_id").asText()).isEqualTo(release);
        assertThat(rule.get("sha256").asText()).hasSize(64);
        assertThat(rule.get("health").get("verdict").asText()).isEqualTo("accepted");
        assertThat(rule.get("yaml").asText()).contains("pickle");

        JsonNode shown = admin.get("/api/releases/" + release.substring(0, 10)).json();
        assertThat(shown.get("id").asText()).isEqualTo(release);
        assertThat(shown.get("gate").findValuesAsText("outcome")).contains("ACCEPTED");
        assertThat(admin.get("/api/releases/" + release + "/diff").json().get("added")).hasSizeGreaterThanOrEqualTo(10);

        // Feeds were never reachable: they are stale, and the start did not fail for it.
        JsonNode feeds = admin.get("/api/feeds").json();
        assertThat(feeds.findValuesAsText("feed")).contains("nvd", "kev");
        assertThat(feeds.findValues("stale")).allSatisfy(stale -> assertThat(stale.asBoolean()).isTrue());
    }

    /** Every operation of the document, called with each role, no key and a wrong key. */
    @Test
    void everyRouteIsAuthorizedByRole() {
        JsonNode paths = admin.get("/openapi.json").json().get("paths");
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "no-such-thing");
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                String required = op.getValue().get("x-freshet-role").asText();
                // A body that no route accepts: routes that read one refuse it, the rest ignore it.
                String body = method.equals("GET") || method.equals("DELETE") ? null : "{\"no_such_field\": 1}";
                if (required.equals("public")) {
                    assertThat(admin.as(null).send(method, concrete, body).status()).as(method + " " + concrete).isEqualTo(200);
                    continue;
                }
                assertThat(admin.as(null).send(method, concrete, body).status()).as("no key: " + method + " " + concrete).isEqualTo(401);
                assertThat(admin.as("fsk_wrong").send(method, concrete, body).status()).as("wrong key").isEqualTo(401);
                for (String role : List.of("viewer", "operator", "admin", "global-admin")) {
                    Http.Answer answer = byRole.get(role).send(method, concrete, body);
                    boolean allowed = rank(role) >= rank(required);
                    if (allowed) {
                        assertThat(answer.status()).as(role + " " + method + " " + concrete + ": " + answer.body()).isNotIn(401, 403, 405);
                    } else {
                        assertThat(answer.status()).as(role + " " + method + " " + concrete + ": " + answer.body()).isEqualTo(403);
                        assertThat(answer.error()).contains("needs the " + required + " role");
                    }
                }
                checked.add(method + " " + path.getKey());
            }
        }
        assertThat(checked).hasSizeGreaterThan(30);
        assertThat(paths.path("/api/sources").has("post")).isTrue();
        assertThat(paths.get("/api/sources").get("post").get("x-freshet-role").asText()).isEqualTo("admin");
        assertThat(paths.get("/api/updates/check").get("post").get("x-freshet-role").asText()).isEqualTo("operator");
        assertThat(paths.get("/api/releases").get("get").get("x-freshet-role").asText()).isEqualTo("viewer");
        assertThat(paths.get("/api/tenants").get("post").get("x-freshet-role").asText()).isEqualTo("global-admin");
    }

    @Test
    void rolloutsAreReadByViewersAndActedOnByOperators() {
        assertThat(byRole.get("viewer").get("/api/rollouts").json()).isEmpty();
        Http.Answer none = byRole.get("viewer").get("/api/rollouts/current?track=tenants/default/rules");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.error()).contains("no rollout on tenants/default/rules yet");
        assertThat(byRole.get("viewer").post("/api/rollouts/abort", "{}").status()).isEqualTo(403);
        Http.Answer nothing = byRole.get("operator").post("/api/rollouts/pause", "{\"reason\": \"look\"}");
        assertThat(nothing.status()).isEqualTo(404);
        assertThat(nothing.error()).isEqualTo("No rollout is under way on rules.");
        Http.Answer badTrack = byRole.get("viewer").get("/api/rollouts/current?track=..%2Fetc");
        assertThat(badTrack.status()).isEqualTo(400);
        assertThat(badTrack.error()).contains("'../etc' is not a track");
    }

    private static int rank(String role) {
        return List.of("viewer", "operator", "admin", "global-admin").indexOf(role);
    }

    @Test
    void theOpenApiDocumentIsValidOpenApi3AndListsEveryRoute() {
        String document = admin.as(null).get("/openapi.json").body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
        var paths = parsed.getOpenAPI().getPaths();
        List<String> listed = paths.entrySet().stream().flatMap(e -> e.getValue().readOperationsMap().keySet().stream()
                .map(m -> m + " " + e.getKey())).toList();
        assertThat(listed).contains("GET /api/releases", "GET /api/releases/{id}", "GET /api/releases/{id}/diff",
                "POST /api/updates/check", "POST /api/releases/{id}/activate", "POST /api/rollback", "GET /api/history",
                "GET /api/sources", "POST /api/sources", "POST /api/sources/{name}/enable", "POST /api/sources/{name}/disable",
                "DELETE /api/sources/{name}", "GET /api/overrides", "POST /api/overrides", "DELETE /api/overrides/{id}",
                "GET /api/feeds", "POST /api/feeds/sync", "GET /api/rules", "GET /api/rules/{id}", "GET /api/projects",
                "POST /api/projects", "GET /api/projects/{name}/findings", "POST /api/scans", "GET /api/scans/{id}",
                "GET /api/scans/{id}/results", "GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.json");
        // Request bodies are described from the records the routes read.
        var sourceBody = parsed.getOpenAPI().getComponents().getSchemas().get("NewSource");
        assertThat(sourceBody.getProperties()).containsKeys("name", "kind", "location", "trusted_authors", "tests_required");
        assertThat(paths.get("/api/scans").getPost().getRequestBody().getContent()).containsKeys("application/json", "application/zip");
    }

    @Test
    void tenantsSeeOnlyTheirOwnProjectsAndScans() {
        Http acme = admin.as(key("acme", "operator"));
        Http globex = admin.as(key("globex", "operator"));
        String shop = "{\"name\": \"shop\", \"path\": \"" + code.resolve("shop") + "\"}";
        assertThat(acme.post("/api/projects", shop).status()).isEqualTo(201);
        assertThat(acme.post("/api/projects", shop).status()).isEqualTo(409);
        assertThat(globex.get("/api/projects").json()).isEmpty();
        assertThat(globex.get("/api/projects/shop/findings").status()).isEqualTo(404);
        assertThat(globex.delete("/api/projects/shop").status()).isEqualTo(404);
        assertThat(globex.post("/api/projects", shop).status()).as("a tenant's names are its own").isEqualTo(201);
        assertThat(acme.get("/api/projects").json().findValuesAsText("name")).containsExactly("shop");
        assertThat(acme.get("/api/projects/shop/findings").status()).isEqualTo(200);

        Http.Answer submitted = acme.post("/api/scans", "{\"path\": \"" + code.resolve("shop") + "\"}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asText();
        assertThat(acme.get("/api/scans/" + id).json().get("state").asText()).isEqualTo("succeeded");
        assertThat(acme.get("/api/scans/" + id + "/results?format=sarif").raw().headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/sarif+json");
        assertThat(globex.get("/api/scans/" + id).status()).isEqualTo(404);
        assertThat(globex.get("/api/scans/" + id + "/results").status()).isEqualTo(404);
        assertThat(scans.scans.get(id).tenant()).isEqualTo("acme");
        assertThat(acme.get("/api/whoami").json().get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void badInputGetsOneClearJsonErrorAndWritesNothing() {
        String sourcesBefore = admin.get("/api/sources").body();
        String overridesBefore = admin.get("/api/overrides").body();

        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": "), 400, "malformed JSON");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\", \"colour\": \"red\"}"), 400, "unknown field 'colour'");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\", \"location\": \"file:///x\", \"priority\": \"high\"}"),
                400, "field 'priority'");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\", \"priority\": 1.5}"), 400, "priority");
        assertError(admin.post("/api/sources", "[1, 2]"), 400, "JSON object");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\"} {}"), 400, "");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"name\": \"y\", \"kind\": \"git\"}"), 400, "Duplicate field 'name'");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"ftp\"}"), 400, "'ftp'");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"dir\", \"location\": \"/etc\"}"), 403, "outside");
        assertError(admin.post("/api/sources", "{\"name\": \"x\", \"kind\": \"git\", \"location\": \"file:///x\", \"schedule\": \"often\"}"),
                400, "'often' is not a cron expression");
        assertError(admin.post("/api/sources", "{\"name\": \"" + "x".repeat(70_000) + "\"}"), 413, "at most");
        assertError(admin.post("/api/sources", "text/plain", "name=x".getBytes()), 415, "must be JSON");
        assertError(admin.post("/api/sources", null), 400, "needs a JSON body");
        assertError(admin.post("/api/overrides", "{\"rule_id\": \"r\", \"disable\": true, \"severity\": \"INFO\"}"), 400, "exactly one");
        assertError(admin.post("/api/overrides", "{\"rule_id\": \"r\", \"severity\": \"LOUD\"}"), 400, "'LOUD'");
        assertError(admin.delete("/api/overrides/abc"), 400, "not a number");
        assertError(admin.get("/api/rules?limit=0"), 400, "limit");
        assertError(admin.get("/api/releases/zz-not-hex"), 404, "no release");
        assertError(admin.post("/api/projects", "{\"name\": \"../up\", \"path\": \"" + code + "\"}"), 400, "'../up'");
        assertError(admin.post("/api/projects", "{\"name\": \"p\", \"path\": \"relative/dir\"}"), 400, "absolute");
        assertError(admin.post("/api/keys", "{\"tenant\": \"default\", \"role\": \"root\"}"), 400, "'root'");
        assertError(admin.post("/api/tenants", "{\"name\": \"Bad Name\"}"), 400, "'Bad Name'");
        assertError(admin.get("/api/nothing-here"), 404, "no route GET /api/nothing-here");
        assertError(admin.send("PUT", "/api/releases", "{}"), 405, "PUT is not allowed");
        assertError(admin.post("/api/rollback", null), 400, "first release ever activated");
        assertError(admin.post("/api/updates/check", "{\"rollout\": \"5,50\"}"), 400, "rollout steps must end at 100, not [5, 50]");
        assertError(admin.post("/api/updates/check", "{\"immediate\": true, \"rollout\": \"shadow,100\"}"), 400, "immediate skips");
        assertError(admin.post("/api/updates/check", "{\"rollout\": \"shadow,100\", \"interval\": \"soon\"}"), 400, "interval 'soon'");
        assertError(admin.post("/api/updates/check", "{\"plan\": \"fast\"}"), 400, "unknown field 'plan'");

        assertThat(admin.get("/api/sources").body()).isEqualTo(sourcesBefore);
        assertThat(admin.get("/api/overrides").body()).isEqualTo(overridesBefore);
        assertThat(admin.get("/api/projects").json()).isEmpty();
    }

    @Test
    void oversizedAndUnknownUploadsAreRefusedBeforeTheQueueSeesThem() {
        int before = scans.archivesReceived.get();
        assertError(admin.post("/api/scans?name=big.zip", "application/zip", new byte[70 * 1024]), 413, "bytes");
        assertError(admin.post("/api/scans", "application/x-rar", new byte[10]), 415, "application/x-rar");
        assertError(admin.post("/api/scans?name=../../x.zip", "application/zip", "PK..".getBytes()), 400, "plain file name");
        assertThat(scans.archivesReceived.get()).isEqualTo(before);
        assertError(admin.post("/api/scans?name=a.zip", "application/zip", "not a zip".getBytes()), 400, "not a zip archive");
        assertThat(admin.post("/api/scans?name=a.zip", "application/zip", "PK\003\004rest".getBytes()).status()).isEqualTo(202);
        assertError(admin.get("/api/scans/scan-1/results?format=pdf"), 400, "json or sarif");
    }

    @Test
    void overridesReachTheActiveRulesAndChecksAreCounted() {
        String overrideEvents = "freshet_events_total{severity=\"info\",type=\"overrides_changed\"}";
        double eventsBefore = counter(admin.as(null).get("/metrics").body(), overrideEvents);
        Http.Answer added = admin.post("/api/overrides", "{\"rule_id\": \"freshet-go-weak-hash-algorithm\", \"severity\": \"INFO\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode rule = admin.get("/api/rules/freshet-go-weak-hash-algorithm").json();
        assertThat(rule.get("severity").asText()).isEqualTo("INFO");
        assertThat(rule.get("health").get("overrides").findValuesAsText("kind")).containsExactly("severity");
        assertThat(admin.delete("/api/overrides/" + added.json().get("id").asText()).status()).isEqualTo(200);
        assertThat(admin.get("/api/rules/freshet-go-weak-hash-algorithm").json().get("severity").asText()).isNotEqualTo("INFO");

        double checksBefore = counter(admin.as(null).get("/metrics").body(), "freshet_update_checks_total{outcome=\"unchanged\",trigger=\"user\"}");
        Http.Answer check = byRole.get("operator").post("/api/updates/check", null);
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        assertThat(check.json().get("sources").findValuesAsText("status")).containsExactly("UNCHANGED");
        assertThat(admin.get("/api/history").json()).hasSize(1);

        String metrics = admin.as(null).get("/metrics").body();
        assertThat(counter(metrics, "freshet_update_checks_total{outcome=\"unchanged\",trigger=\"user\"}")).isEqualTo(checksBefore + 1);
        assertThat(counter(metrics, "freshet_update_check_duration_seconds_count{trigger=\"user\"}")).isGreaterThanOrEqualTo(1);
        assertThat(counter(metrics, overrideEvents)).as("the override added and the one removed, each counted once").isEqualTo(eventsBefore + 2);
        assertThat(counter(admin.as(null).get("/metrics").body(), overrideEvents)).as("a scrape with no new events adds nothing")
                .isEqualTo(eventsBefore + 2);
    }

    @Test
    void healthAndMetricsTellWhatIsGoingOn() {
        assertThat(admin.as(null).get("/health/live").json().get("status").asText()).isEqualTo("live");
        admin.get("/api/releases");
        admin.post("/api/scans", "{\"path\": \"" + code + "\"}");
        Http.Answer metrics = admin.as(null).get("/metrics");
        assertThat(metrics.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("freshet_http_requests_seconds_bucket{method=\"GET\",route=\"/api/releases\",status=\"200\"")
                .contains("freshet_feed_age_seconds{feed=\"kev\"} NaN")
                .contains("freshet_feed_stale{feed=\"nvd\"} 1.0")
                .contains("freshet_feed_freshness_target_seconds{feed=\"kev\"} ")
                .contains("freshet_feed_failing{feed=\"kev\"} 0.0")
                .containsPattern("freshet_events_total\\{severity=\"info\",type=\"release_activated\"} [1-9]")
                // Series the alert rules compare over time exist at zero before their first event.
                .contains("freshet_events_total{severity=\"critical\",type=\"rollout_rolled_back\"} 0.0")
                .contains("freshet_update_rollbacks_total{trigger=\"automatic\"} 0.0")
                .contains("freshet_update_checks_total{outcome=\"failed\",trigger=\"schedule\"} ")
                .contains("freshet_scan_duration_seconds_count{outcome=\"failed\"} 0")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("freshet_active_release{release=\"" + service.starterRelease().orElseThrow() + "\"} 1.0")
                .contains("freshet_scan_queue_depth 0.0")
                .containsPattern("freshet_scan_duration_seconds_count\\{outcome=\"succeeded\"} [1-9]")
                .containsPattern("freshet_scan_findings_sum [1-9]");
    }

    @Test
    void everyMetricTheAlertRulesAndTheDashboardReadIsExported() throws Exception {
        admin.get("/api/releases");
        Set<String> exported = admin.as(null).get("/metrics").body().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        Set<String> read = new TreeSet<>();
        for (String expression : DeployFiles.alertExpressions()) {
            read.addAll(DeployFiles.metricNames(expression));
        }
        for (String expression : DeployFiles.dashboardExpressions()) {
            read.addAll(DeployFiles.metricNames(expression));
        }
        read.remove("up"); // Prometheus' own: whether the scrape answered
        assertThat(read).as("metric names in deploy/prometheus/alerts.yml and deploy/grafana/freshet-dashboard.json")
                .contains("freshet_feed_stale", "freshet_events_total", "freshet_scan_queue_depth", "jvm_memory_used_bytes");
        assertThat(exported).containsAll(read);
    }

    @Test
    void theHealthChecksOfTheDeploymentsAskEndpointsThatAnswer() {
        Set<String> paths = new TreeSet<>();
        JsonNode container = DeployFiles.kubernetesObject("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add(container.path(probe).path("httpGet").path("path").asText());
        }
        JsonNode compose = DeployFiles.yaml(DeployFiles.DEPLOY.resolve("compose/docker-compose.yml")).getFirst();
        compose.path("services").path("freshet").path("healthcheck").path("test").forEach(word -> {
            if (word.asText().startsWith("http://")) {
                paths.add(java.net.URI.create(word.asText()).getPath());
            }
        });
        DeployFiles.read(DeployFiles.ROOT.resolve("Dockerfile")).lines().flatMap(line -> Stream.of(line.split("\\s+")))
                .filter(word -> word.startsWith("http://")).forEach(url -> paths.add(java.net.URI.create(url).getPath()));
        assertThat(paths).containsExactly("/health/live", "/health/ready");
        for (String path : paths) {
            assertThat(admin.as(null).get(path).status()).as(path).isEqualTo(200);
        }
    }

    /** A sample's value in Prometheus text, 0 when it is not there. */
    static double counter(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " ")).map(line -> Double.parseDouble(line.substring(sample.length() + 1)))
                .findFirst().orElse(0.0);
    }

    static void assertError(Http.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(answer.error()).as(answer.body()).isNotBlank().contains(message);
    }

    @SuppressWarnings("unused")
    private static List<JsonNode> list(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false).toList();
    }
}

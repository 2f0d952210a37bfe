package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.scan.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Community learning through a real {@code freshet serve} on loopback: feedback (one, a batch, bad
 * input storing nothing), rule health, and contributions through the gate, review and the next
 * release.
 */
class CommunityApiTest {
    private static final String RULE = "freshet-python-pickle-untrusted-load";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static FreshetService service;
    static Http admin;
    static Http operator;
    static Http viewer;

    @BeforeAll
    static void start() throws Exception {
        service = ServeFixture.start(tmp, Files.createDirectories(tmp.resolve("code")), 100_000, null);
        admin = Http.to(service.port(), service.bootstrapKey().orElseThrow());
        assertThat(admin.post("/api/tenants", "{\"name\": \"acme\"}").status()).isEqualTo(201);
        operator = admin.as(key("operator"));
        viewer = admin.as(key("viewer"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String key(String role) {
        Http.Answer made = admin.post("/api/keys", "{\"tenant\": \"acme\", \"role\": \"" + role + "\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made.json().get("key").asText();
    }

    private static String json(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    private static int stored() {
        return operator.get("/api/feedback?limit=1000").json().size();
    }

    @Test
    void feedbackIsStoredWithTheFindingsFingerprintAndBadInputStoresNothing() throws Exception {
        Http.Answer one = operator.post("/api/feedback", json(Map.of("rule_id", RULE, "verdict", "false_positive",
                "path", "app/cache.py", "code", "pickle.loads(trusted_blob)", "comment", "signed blob", "usefulness", 1)));
        assertThat(one.status()).as(one.body()).isEqualTo(201);
        assertThat(one.json().get("fingerprints").get(0).asText()).isEqualTo(Fingerprint.of(RULE, "app/cache.py", "pickle.loads(trusted_blob)"));
        int before = stored();

        List<Map<String, Object>> batch = List.of(Map.of("rule_id", RULE, "verdict", "true_positive", "fingerprint", "ab".repeat(16)),
                Map.of("rule_id", RULE, "verdict", "false_negative", "code", "cPickle.loads(x)", "language", "python"));
        Http.Answer two = operator.post("/api/feedback/batch", json(Map.of("feedback", batch)));
        assertThat(two.status()).as(two.body()).isEqualTo(201);
        assertThat(two.json().get("stored").asInt()).isEqualTo(2);
        assertThat(stored()).isEqualTo(before + 2);

        for (String bad : List.of(
                "{\"rule_id\": \"" + RULE + "\", \"verdict\": \"meh\", \"fingerprint\": \"" + "ab".repeat(16) + "\"}",
                "{\"rule_id\": \"" + RULE + "\", \"verdict\": \"false_negative\"}",
                "{\"rule_id\": \"no.such.rule\", \"verdict\": \"true_positive\", \"path\": \"a.py\", \"code\": \"x\"}",
                "{\"rule_id\": \"" + RULE + "\", \"verdict\": \"true_positive\", \"path\": \"a.py\", \"code\": \"x\", \"accuracy\": 9}",
                "{\"rule_id\": \"" + RULE + "\", \"verdict\": \"true_positive\", \"sneaky\": 1}",
                "{\"rule_id\": \"" + RULE + "\", \"verdict\": \"true_positive\", \"path\": \"a.py\"",
                "[]")) {
            Http.Answer refused = operator.post("/api/feedback", bad);
            assertThat(refused.status()).as(bad + " -> " + refused.body()).isEqualTo(400);
            assertThat(refused.error()).isNotBlank();
        }
        Http.Answer halfBad = operator.post("/api/feedback/batch", json(Map.of("feedback", List.of(batch.get(0),
                Map.of("rule_id", "no.such.rule", "verdict", "true_positive", "fingerprint", "cd".repeat(16))))));
        assertThat(halfBad.status()).isEqualTo(400);
        assertThat(halfBad.error()).contains("verdict 2").contains("no.such.rule");
        assertThat(stored()).as("nothing of a refused batch is stored").isEqualTo(before + 2);

        Http.Answer anonymous = operator.post("/api/feedback", json(Map.of("rule_id", RULE, "verdict", "true_positive",
                "fingerprint", "ab".repeat(16), "anonymous", true)));
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.error()).contains("anonymous");
        assertThat(viewer.post("/api/feedback", json(Map.of("rule_id", RULE, "verdict", "true_positive", "fingerprint", "ab".repeat(16))))
                .status()).isEqualTo(403);

        JsonNode health = viewer.get("/api/rules/" + RULE + "/health").json();
        assertThat(health.get("counts").get("FALSE_POSITIVE").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(health.get("precision_low").asDouble()).isLessThan(health.get("precision_high").asDouble());
        assertThat(health.get("status").asText()).isEqualTo("UNDECIDED");
        assertThat(viewer.get("/api/rules/freshet-unjudged/health").status()).isEqualTo(404);
        assertThat(viewer.get("/api/rules/" + RULE + "/health?release=nope").status()).isEqualTo(400);

        // Another tenant does not see acme's feedback (its code stays its own); the global admin sees all.
        assertThat(admin.get("/api/feedback").json().size()).isGreaterThanOrEqualTo(before + 2);
        Http.Answer processed = admin.post("/api/feedback/process", null);
        assertThat(processed.status()).isEqualTo(200);
        assertThat(processed.json().get("records").asLong()).isGreaterThanOrEqualTo(3);
    }

    private static Map<String, Object> contribution(String id, String pattern, String test) {
        String rule = """
                rules:
                  - id: %s
                    message: %s is dangerous
                    severity: ERROR
                    languages: [python]
                    pattern: %s
                """.formatted(id, id, pattern);
        return Map.of("kind", "new_rule", "title", "flag " + id, "license", "Apache-2.0",
                "files", List.of(Map.of("path", id + ".yaml", "content", rule), Map.of("path", id + ".py", "content", test)));
    }

    @Test
    void aContributionPassesTheGateIsApprovedAndIsInTheNextRelease() throws Exception {
        Http.Answer submitted = operator.post("/api/contributions", json(contribution("acme-marshal-loads", "marshal.loads(...)",
                "# ruleid: acme-marshal-loads\nmarshal.loads(blob)\n# ok: acme-marshal-loads\nmarshal.dumps(blob)\n")));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        assertThat(submitted.json().get("state").asText()).isEqualTo("pending_review");
        assertThat(submitted.json().get("gate_report").findValuesAsText("outcome")).containsExactly("ACCEPTED");
        long id = submitted.json().get("id").asLong();

        assertThat(operator.post("/api/contributions/" + id + "/approve", null).status()).as("maintainers only").isEqualTo(403);
        Http.Answer approved = admin.post("/api/contributions/" + id + "/approve", "{\"reason\": \"well tested\"}");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("state").asText()).isEqualTo("approved");
        assertThat(admin.post("/api/contributions/" + id + "/approve", null).status()).isEqualTo(409);

        Http.Answer check = operator.post("/api/updates/check", null);
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        JsonNode rule = viewer.get("/api/rules/acme-marshal-loads").json();
        assertThat(rule.get("source").asText()).isEqualTo("community");
        assertThat(rule.get("release_id").asText()).isNotEqualTo(service.starterRelease().orElseThrow());
        assertThat(viewer.get("/api/contributors").json().findValuesAsText("contributor")).isNotEmpty();
        JsonNode account = viewer.get("/api/contributors/" + submitted.json().get("contributor").asText()).json();
        assertThat(account.at("/standing/approved").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(account.get("entries").findValuesAsText("reason")).contains("contribution " + id + " approved");
        assertThat(viewer.get("/api/contributors/nobody-at-all").status()).isEqualTo(404);
    }

    @Test
    void aBadContributionIsRejectedWithTheGatesReason() throws Exception {
        Http.Answer bad = operator.post("/api/contributions", json(contribution("acme-yaml-load", "yaml.load(...)",
                "# ruleid: acme-yaml-load\nyaml.safe_load(doc)\n")));
        assertThat(bad.status()).as(bad.body()).isEqualTo(201);
        assertThat(bad.json().get("state").asText()).isEqualTo("gate_rejected");
        assertThat(bad.json().get("gate_reasons").get(0).asText()).contains("acme-yaml-load");
        long id = bad.json().get("id").asLong();
        assertThat(admin.post("/api/contributions/" + id + "/approve", null).status()).isEqualTo(409);

        Http.Answer pending = operator.post("/api/contributions", json(contribution("acme-shelve-open", "shelve.open(...)",
                "# ruleid: acme-shelve-open\nshelve.open(path)\n")));
        long pendingId = pending.json().get("id").asLong();
        assertThat(admin.post("/api/contributions/" + pendingId + "/reject", "{}").status()).isEqualTo(400);
        Http.Answer rejected = admin.post("/api/contributions/" + pendingId + "/reject", "{\"reason\": \"too broad\"}");
        assertThat(rejected.json().get("state").asText()).isEqualTo("rejected");
        assertThat(rejected.json().get("review_reason").asText()).isEqualTo("too broad");

        Map<String, Object> traversal = Map.of("kind", "new_rule", "title", "t", "license", "MIT",
                "files", List.of(Map.of("path", "../../x.yaml", "content", "rules: []")));
        Http.Answer refused = operator.post("/api/contributions", json(traversal));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).contains("not allowed");
        assertThat(operator.get("/api/contributions?state=gate_rejected").json().findValuesAsText("id")).contains(String.valueOf(id));
        assertThat(operator.get("/api/contributions?state=maybe").status()).isEqualTo(400);
    }

    @Test
    void aNewRuleWithATakenIdIsA409OnTheApiAndExit2OnTheCommandLine() throws Exception {
        String taken = viewer.get("/api/rules?limit=1").json().findValuesAsText("id").getFirst();
        int before = operator.get("/api/contributions").json().size();
        Http.Answer clash = operator.post("/api/contributions", json(contribution(taken, "pickle.loads(...)",
                "# ruleid: " + taken + "\npickle.loads(blob)\n")));
        assertThat(clash.status()).as(clash.body()).isEqualTo(409);
        assertThat(clash.error()).contains("rule id '" + taken + "' is taken", "rule_improvement");

        Map<String, Object> improvement = new HashMap<>(contribution("acme-nothing-like-it", "nothing_like_it(...)",
                "# ruleid: acme-nothing-like-it\nnothing_like_it(1)\n"));
        improvement.put("kind", "rule_improvement");
        Http.Answer unknown = operator.post("/api/contributions", json(improvement));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.error()).contains("no rule 'acme-nothing-like-it'");
        assertThat(operator.get("/api/contributions").json().size()).as("refusals store nothing").isEqualTo(before);

        Path rule = Files.writeString(tmp.resolve(taken + ".yaml"), """
                rules:
                - id: %s
                  message: m
                  severity: ERROR
                  languages: [python]
                  pattern: pickle.loads(...)
                """.formatted(taken));
        Path test = Files.writeString(tmp.resolve(taken + ".py"), "# ruleid: " + taken + "\npickle.loads(blob)\n");
        CliRun cli = CliRun.of("contributions", "submit", "--kind", "new_rule", "--title", "clash", "--license", "MIT",
                "--config", ServeFixture.config(tmp).toString(), rule.toString(), test.toString());
        assertThat(cli.exit()).as(cli.out() + cli.err()).isEqualTo(2);
        assertThat(cli.err()).contains("is taken").doesNotContain("Exception");
    }

    @Test
    void aNoisyRuleGoesOnProbationByAReleaseInTheHistoryAndARollbackLiftsIt() throws Exception {
        String noisy = viewer.get("/api/rules?limit=5").json().findValuesAsText("id").stream().filter(id -> !id.equals(RULE)).toList().getLast();
        List<Http> tenants = new ArrayList<>(List.of(operator));
        for (String name : List.of("globex", "initech")) { // three tenants: each one's weight is capped
            assertThat(admin.post("/api/tenants", "{\"name\": \"" + name + "\"}").status()).isEqualTo(201);
            tenants.add(admin.as(admin.post("/api/keys", "{\"tenant\": \"" + name + "\", \"role\": \"operator\"}").json().get("key").asText()));
        }
        for (Http tenant : tenants) {
            List<Map<String, Object>> reports = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                reports.add(Map.of("rule_id", noisy, "verdict", "false_positive", "path", "app/m" + i + ".py", "code", "call_" + i + "(x)"));
            }
            assertThat(tenant.post("/api/feedback/batch", json(Map.of("feedback", reports))).status()).isEqualTo(201);
        }
        String before = viewer.get("/api/history").json().get(viewer.get("/api/history").json().size() - 1).get("release_id").asText();
        assertThat(before).isNotBlank();

        Http.Answer processed = admin.post("/api/feedback/process", null);
        assertThat(processed.json().get("probations_started").toString()).contains(noisy);
        JsonNode history = viewer.get("/api/history").json();
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("release_id").asText()).isNotEqualTo(before);
        assertThat(last.get("trigger").asText()).isEqualTo("AUTOMATIC");
        assertThat(last.get("reason").asText()).contains("rule " + noisy + " on probation", "24 false_positive", "precision");
        assertThat(viewer.get("/api/rules/" + noisy + "/health").json().get("on_probation").asBoolean()).isTrue();

        Http.Answer rolledBack = operator.post("/api/rollback", "{\"reason\": \"needed at full severity\"}");
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        JsonNode after = viewer.get("/api/history").json();
        assertThat(after.get(after.size() - 1).get("release_id").asText()).isEqualTo(before);
        assertThat(viewer.get("/api/rules/" + noisy + "/health").json().get("on_probation").asBoolean()).isFalse();
        assertThat(admin.post("/api/feedback/process", null).json().get("probations_started").size()).as("no new evidence").isZero();
    }
}

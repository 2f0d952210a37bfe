package dev.freshet.engine.deps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.engine.scan.ScanResult;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvisoryIndexTest {
    private static Advisory record(String json) {
        return ((OsvParser.Result.Parsed) OsvParser.parse(json, false)).record();
    }

    private static final Advisory JINJA = record("""
            {"id": "PYSEC-2019-1", "aliases": ["CVE-2019-10906", "GHSA-462w-v97r-4m45"], "summary": "sandbox escape",
             "modified": "2024-01-01T00:00:00Z",
             "affected": [{"package": {"ecosystem": "PyPI", "name": "Jinja2"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}]}
            """);
    private static final Advisory WITHDRAWN = record("""
            {"id": "PYSEC-2019-2", "modified": "2024-01-01T00:00:00Z", "withdrawn": "2024-02-01T00:00:00Z",
             "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}
            """);

    private static Dependency dependency(String name, String version) {
        return new Dependency(Ecosystem.PYPI, name, version, Path.of("requirements.txt"), 3);
    }

    @Test
    void matchesByNormalizedNameAndVersionAndSkipsWithdrawnAdvisories() {
        AdvisoryIndex index = new AdvisoryIndex(List.of(JINJA, WITHDRAWN));
        List<DependencyFinding> found = index.match(List.of(dependency("jinja2", "2.10"), dependency("Jinja2", "2.10.1"),
                dependency("JINJA_2", "2.0"), dependency("flask", "1.0")));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).advisoryIds()).containsExactly("PYSEC-2019-1", "CVE-2019-10906", "GHSA-462w-v97r-4m45");
        assertThat(found.get(0).fixedVersions()).containsExactly("2.10.1");
    }

    @Test
    void jsonReportsCarryPackageVersionAndEveryAdvisoryId() throws Exception {
        List<DependencyFinding> found = new AdvisoryIndex(List.of(JINJA)).match(List.of(dependency("jinja2", "2.10")));
        StringWriter out = new StringWriter();
        ReportFormat.JSON.writer("test").write(new ScanResult(List.of(), List.of(), 1, 1, 0).withDependencies(found),
                List.of(), Path.of(""), out);
        JsonNode dependency = new ObjectMapper().readTree(out.toString()).at("/dependencies/0");
        assertThat(dependency.get("package").asText()).isEqualTo("jinja2");
        assertThat(dependency.get("version").asText()).isEqualTo("2.10");
        assertThat(dependency.get("advisory_ids")).extracting(JsonNode::asText)
                .containsExactly("PYSEC-2019-1", "CVE-2019-10906", "GHSA-462w-v97r-4m45");
        assertThat(dependency.get("line").asInt()).isEqualTo(3);
    }

    @Test
    void sarifReportsADependencyAsAResultOfTheAdvisoryAtTheLockfileLine() throws Exception {
        List<DependencyFinding> found = new AdvisoryIndex(List.of(JINJA)).match(List.of(dependency("jinja2", "2.10")));
        StringWriter out = new StringWriter();
        ReportFormat.SARIF.writer("test").write(new ScanResult(List.of(), List.of(), 1, 1, 0).withDependencies(found),
                List.of(), Path.of(""), out);
        JsonNode run = new ObjectMapper().readTree(out.toString()).at("/runs/0");
        assertThat(run.at("/results/0/ruleId").asText()).isEqualTo("PYSEC-2019-1");
        assertThat(run.at("/results/0/message/text").asText()).contains("jinja2@2.10").contains("fixed in 2.10.1");
        assertThat(run.at("/results/0/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(3);
        assertThat(run.at("/tool/driver/rules/0/id").asText()).isEqualTo("PYSEC-2019-1");
    }
}

package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.generation.Generators;
import dev.freshet.updates.generation.ResearchMaintenance;
import dev.freshet.updates.generation.RuleOutcome;
import dev.freshet.updates.store.Database;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A CVE only NVD knows, its package read from CPE: stored, it leads the research job to a code rule for the framework. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class NvdOnlyCveTest {
    @Parameter
    Database.Kind kind;
    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    @Test
    void anNvdOnlyDjangoSqlInjectionBecomesAResearchRule() throws Exception {
        List<Advisory> page = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/feeds/nvd-cpe-page.json")) {
            JsonNode root = JsonMapper.builder().build().readTree(in);
            root.path("vulnerabilities").forEach(v -> page.add(NvdFeed.advisory(v.path("cve"))));
        }
        parts.get().advisories().storePage(NvdFeed.NAME, new FeedPage(page, "c1", false), Instant.now());

        ResearchMaintenance.Report report = parts.get().research(GatePolicy.defaults("0.1.0").withThreads(1), new Generators(Optional.empty()))
                .run(Duration.ofDays(365L * 100), Optional.empty());

        assertThat(report.relevant()).containsOnlyKeys("research.django-sql-injection");
        assertThat(report.relevant().get("research.django-sql-injection")).containsExactly("CVE-2099-1001");
        assertThat(report.rules()).singleElement().satisfies(rule -> assertThat(rule.validated()).as(rule.reason()).isTrue())
                .extracting(RuleOutcome::id).isEqualTo("research.django-sql-injection");
    }
}

package dev.freshet.updates.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleSet;
import java.nio.file.Path;
import dev.freshet.updates.feeds.NvdConfigurations.Cpe;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NVD's CPE applicability read into packages, on a page in the CVE API 2.0 shape
 * ({@code feeds/nvd-cpe-page.json}): range bounds, exact versions, AND configurations with a
 * platform, negated nodes, escaped names, and the matches no package can be named for.
 */
class NvdCpeTest {
    private static final Map<String, JsonNode> CVES = new LinkedHashMap<>();

    @BeforeAll
    static void readPage() throws IOException {
        try (InputStream in = NvdCpeTest.class.getResourceAsStream("/feeds/nvd-cpe-page.json")) {
            JsonNode page = JsonMapper.builder().build().readTree(in);
            page.path("vulnerabilities").forEach(v -> CVES.put(v.path("cve").path("id").asText(), v.path("cve")));
        }
    }

    private static AffectedPackage onlyPackage(String cve) {
        List<AffectedPackage> packages = NvdFeed.advisory(CVES.get(cve)).affected();
        assertThat(packages).hasSize(1);
        return packages.getFirst();
    }

    @Test
    void aCpeNameIsSplitOnUnescapedColonsOnly() {
        assertThat(Cpe.parse("cpe:2.3:a:acme:widget\\:pro:*:*:*:*:*:*:*:*")).get()
                .extracting(Cpe::vendor, Cpe::product, Cpe::version).containsExactly("acme", "widget:pro", "*");
        assertThat(Cpe.parse("cpe:2.3:a:themeisle:wp_maintenance_mode_\\&_coming_soon:*:*:*:*:*:wordpress:*:*")).get()
                .extracting(Cpe::product, Cpe::targetSoftware).containsExactly("wp_maintenance_mode_&_coming_soon", "wordpress");
        assertThat(Cpe.parse("cpe:2.3:a:broken")).isEmpty();
        assertThat(Cpe.parse("cpe:/a:djangoproject:django:4.2")).as("CPE 2.2 URI binding").isEmpty();
        assertThat(Cpe.parse(null)).isEmpty();
    }

    @Test
    void tableProductWithRangesAndAnExactVersion() {
        AffectedPackage django = onlyPackage("CVE-2099-1001");
        assertThat(django.ecosystem()).isEqualTo(Ecosystem.PYPI);
        assertThat(django.name()).isEqualTo("django");
        assertThat(django.ranges()).hasSize(2);
        assertThat(django.versions()).containsExactly("3.2.22");
        assertThat(List.of("4.2", "4.2.7", "5.0", "3.2.22")).allMatch(django::affects);
        assertThat(List.of("4.1.13", "4.2.8", "5.0.1", "3.2.21", "3.2.23")).noneMatch(django::affects);
    }

    @Test
    void targetSoftwareNamesTheEcosystemWithExcludedStartAndIncludedEnd() {
        AffectedPackage jwt = onlyPackage("CVE-2099-1002");
        assertThat(jwt.ecosystem()).isEqualTo(Ecosystem.NPM);
        assertThat(jwt.name()).isEqualTo("jsonwebtoken");
        assertThat(jwt.affects("8.5.1")).isTrue();
        assertThat(jwt.affects("0.1.1")).isTrue();
        assertThat(jwt.affects("0.1.0")).as("start excluded").isFalse();
        assertThat(jwt.affects("9.0.0")).isFalse();
    }

    @Test
    void unknownProductsPlatformsEveryVersionAndUnreadableVersionsAreCountedNotGuessed() {
        assertThat(NvdFeed.advisory(CVES.get("CVE-2099-1003")).affected()).as("unknown vendor; Windows is the platform").isEmpty();
        assertThat(NvdFeed.advisory(CVES.get("CVE-2099-1004")).affected()).as("every version, an rc in the update field, a plugin").isEmpty();
        assertThat(NvdFeed.advisory(CVES.get("CVE-2099-1006")).affected()).as("no configurations yet").isEmpty();
        assertThat(NvdFeed.packages(CVES.get("CVE-2099-1003"))).extracting(CpePackages.Mapping::mapped, CpePackages.Mapping::unknown,
                CpePackages.Mapping::unbounded, CpePackages.Mapping::unreadableVersions).containsExactly(0, 1, 0, 0);
        assertThat(NvdFeed.packages(CVES.get("CVE-2099-1004"))).extracting(CpePackages.Mapping::mapped, CpePackages.Mapping::unknown,
                CpePackages.Mapping::unbounded, CpePackages.Mapping::unreadableVersions).containsExactly(0, 1, 1, 1);
        CpePackages.Mapping total = CpePackages.Mapping.NONE;
        for (JsonNode cve : CVES.values()) {
            total = total.plus(NvdFeed.packages(cve));
        }
        assertThat(total).extracting(CpePackages.Mapping::mapped, CpePackages.Mapping::unknown, CpePackages.Mapping::unbounded,
                CpePackages.Mapping::unreadableVersions).containsExactly(5, 3, 1, 2);
    }

    @Test
    void aNegatedNodeIsIgnoredAndAnUnreadableBoundDropsOnlyItsMatch() {
        AffectedPackage laravel = onlyPackage("CVE-2099-1005");
        assertThat(laravel.ecosystem()).isEqualTo(Ecosystem.PACKAGIST);
        assertThat(laravel.name()).isEqualTo("laravel/framework");
        assertThat(laravel.affects("10.48.1")).isTrue();
        assertThat(laravel.affects("9.0.0")).as("the negated node's version is not affected by it").isFalse();
    }

    @Test
    void anNvdOnlyCveBecomesADependencyRuleLikeAnOsvAdvisory() {
        Advisory django = NvdFeed.advisory(CVES.get("CVE-2099-1001"));
        String yaml = DependencyRules.document(django);
        assertThat(yaml).contains("id: CVE-2099-1001", "namespace: pypi", "package: django", "CWE-89");
        RuleSet compiled = new RuleLoader(new PatternCompiler(new TreeSitterParser())).parse(Path.of("CVE-2099-1001.yaml"), yaml);
        assertThat(compiled.problems()).isEmpty();
        Advisory back = DependencyRules.advisory(compiled.rules().getFirst());
        assertThat(back.affected()).singleElement().satisfies(p -> {
            assertThat(p.affects("4.2.7")).isTrue();
            assertThat(p.affects("4.2.8")).isFalse();
            assertThat(p.affects("3.2.22")).isTrue();
        });
        assertThat(DependencyRules.document(NvdFeed.advisory(CVES.get("CVE-2099-1003")))).as("no package, no rule").isNull();
    }

    @Test
    void storedAndReadBackWithEveryEventKind() {
        List<Advisory> all = new ArrayList<>();
        CVES.values().forEach(cve -> all.add(NvdFeed.advisory(cve)));
        for (Advisory advisory : all) {
            assertThat(AdvisoryJson.read(AdvisoryJson.write(advisory))).isEqualTo(advisory);
        }
    }
}

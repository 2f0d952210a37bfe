package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.DependencyFinding.Reachability;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.lockfile.Lockfiles;
import dev.freshet.engine.deps.osv.OsvParser;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleProblem;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.DependencyScan;
import dev.freshet.engine.scan.ScanResult;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Advisories as dependency rules: written, loaded back, matched, and reachability from call patterns. */
class DependencyRulesTest extends EngineTestSupport {
    private static final Advisory TEXT = ((OsvParser.Result.Parsed) OsvParser.parse("""
            {"id": "GO-2021-0113", "aliases": ["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"], "summary": "Out-of-bounds read in golang.org/x/text/language",
             "published": "2021-10-06T17:51:21Z", "modified": "2024-05-20T16:03:47Z",
             "database_specific": {"cwe_ids": ["CWE-125"]},
             "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
                           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}],
                           "ecosystem_specific": {"imports": [{"path": "golang.org/x/text/language",
                                                               "symbols": ["MatchStrings", "MustParse", "Parse", "Tag.String"]}]}}]}
            """, false)).record().withKev(new Advisory.Kev(LocalDate.parse("2024-01-02"), LocalDate.parse("2024-01-23"), true));

    private static final Advisory LODASH = ((OsvParser.Result.Parsed) OsvParser.parse("""
            {"id": "GHSA-jf85-cpcp-j695", "aliases": ["CVE-2019-10744"], "summary": "Prototype Pollution in lodash",
             "modified": "2024-01-01T00:00:00Z",
             "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                          {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
             "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
                           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}
            """, false)).record();

    private List<Rule> dependencyRules(Advisory... advisories) {
        List<Rule> rules = new java.util.ArrayList<>();
        for (Advisory advisory : advisories) {
            RuleSet set = loader().parse(tmp.resolve(advisory.id() + ".yaml"), DependencyRules.document(advisory));
            assertThat(set.problems()).isEmpty();
            rules.addAll(set.rules());
        }
        return rules;
    }

    private ScanResult scanProject(List<Rule> rules) {
        List<Path> sources = List.of(tmp.resolve("main.go"));
        ScanResult code = scanner(true).scan(rules, sources, tmp, n -> { });
        List<Dependency> dependencies = Lockfiles.findAll(tmp);
        return DependencyScan.complete(code, rules, dependencies);
    }

    @Test
    void anAdvisoryBecomesADependencyRuleAndBackWithoutLoss() {
        Rule rule = dependencyRules(TEXT).get(0);
        assertThat(rule.isDependencyRule()).isTrue();
        Advisory back = DependencyRules.advisory(rule);
        assertThat(back.ids()).containsExactly("GO-2021-0113", "CVE-2021-38561", "GHSA-ppp9-7jff-5vj2");
        assertThat(back.cwes()).containsExactly("CWE-125");
        assertThat(back.kev()).isEqualTo(TEXT.kev());
        assertThat(back.published()).isEqualTo(TEXT.published());
        assertThat(back.affected().get(0).affects("0.3.6")).isTrue();
        assertThat(back.affected().get(0).affects("v0.3.6")).isTrue();
        assertThat(back.affected().get(0).affects("0.3.7")).isFalse();
        assertThat(DependencyRules.document(TEXT)).contains("MustParse(...)", "$RECEIVER.String(...)");
    }

    @Test
    void aCallOfAVulnerableFunctionMakesTheFindingReachable() {
        write("go.mod", "module example.com/app\n\ngo 1.21\n\nrequire golang.org/x/text v0.3.6\n");
        write("main.go", """
                package main

                import "golang.org/x/text/language"

                func main() {
                	tag, _ := language.Parse("en-US")
                	_ = tag
                }
                """);
        ScanResult result = scanProject(dependencyRules(TEXT));
        assertThat(result.findings()).as("calls are evidence, not findings of their own").isEmpty();
        DependencyFinding found = result.dependencies().get(0);
        assertThat(found.dependency().name()).isEqualTo("golang.org/x/text");
        assertThat(found.reachability()).isEqualTo(Reachability.REACHABLE);
        assertThat(found.calls()).singleElement().satisfies(call -> assertThat(call.startLine()).isEqualTo(6));
        assertThat(found.kev().knownRansomwareUse()).isTrue();
    }

    @Test
    void withoutACallTheFindingStaysButSaysNoCallWasFound() {
        write("go.mod", "module example.com/app\n\nrequire golang.org/x/text v0.3.6\n");
        write("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n");
        ScanResult result = scanProject(dependencyRules(TEXT));
        assertThat(result.dependencies()).singleElement()
                .satisfies(found -> assertThat(found.reachability()).isEqualTo(Reachability.NO_CALL_FOUND));
    }

    @Test
    void advisoriesWithoutSymbolsLeaveReachabilityUnknownAndFixedVersionsDoNotMatch() {
        write("main.go", "package main\n");
        write("package-lock.json", """
                {"name": "app", "lockfileVersion": 3, "packages": {
                  "": {"name": "app"},
                  "node_modules/lodash": {"version": "4.17.11"},
                  "sub/node_modules/lodash": {"version": "4.17.12"}}}
                """);
        ScanResult result = scanProject(dependencyRules(LODASH));
        assertThat(result.dependencies()).singleElement().satisfies(found -> {
            assertThat(found.dependency().version()).isEqualTo("4.17.11");
            assertThat(found.reachability()).isEqualTo(Reachability.UNKNOWN);
            assertThat(found.advisoryIds()).containsExactly("GHSA-jf85-cpcp-j695", "CVE-2019-10744");
            assertThat(found.score()).as("the newest CVSS version wins")
                    .isEqualTo(new Advisory.Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"));
        });
        Rule rule = dependencyRules(LODASH).get(0);
        assertThat(rule.severity()).as("a critical advisory is an error, as Semgrep's supply-chain rules rate it")
                .isEqualTo(dev.freshet.engine.rules.Severity.ERROR);
        assertThat(rule.metadata()).containsEntry("category", "security").containsEntry("security-severity", "9.8");
    }

    @Test
    void handWrittenSemgrepDependencyRulesLoad() {
        List<Rule> loaded = rules("""
                rules:
                - id: old-django
                  message: upgrade Django
                  severity: ERROR
                  r2c-internal-project-depends-on:
                    depends-on-either:
                      - namespace: pypi
                        package: django
                        version: "< 3.2.25"
                      - namespace: pypi
                        package: django
                        version: ">= 4.0, < 4.2.11"
                """);
        Rule rule = loaded.get(0);
        assertThat(rule.formulas()).isEmpty();
        assertThat(rule.dependsOn()).hasSize(2);
        assertThat(rule.dependsOn().get(1).affects("4.1")).isTrue();
        assertThat(rule.dependsOn().get(1).affects("4.2.11")).isFalse();
    }

    @Test
    void badDependencyRequirementsAreReportedOneByOne() {
        RuleSet set = load("""
                rules:
                - id: unknown-namespace
                  message: m
                  severity: ERROR
                  r2c-internal-project-depends-on: {namespace: nuget, package: x, version: "< 1"}
                - id: bad-range
                  message: m
                  severity: ERROR
                  r2c-internal-project-depends-on: {namespace: npm, package: x, version: "<< 1 ,,"}
                - id: missing-package
                  message: m
                  severity: ERROR
                  r2c-internal-project-depends-on: {namespace: npm, version: "< 1"}
                - id: fine
                  message: m
                  severity: ERROR
                  r2c-internal-project-depends-on: {namespace: npm, package: x, version: "< 1"}
                """);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("fine");
        assertThat(set.problems()).extracting(RuleProblem::ruleId).containsExactly("unknown-namespace", "bad-range", "missing-package");
        assertThat(set.problems().get(0).kind()).isEqualTo(RuleProblem.Kind.UNSUPPORTED);
        assertThat(set.problems().get(1).reason()).contains("bad version range");
    }

    @Test
    void goPackageNamesFollowImportPaths() {
        assertThat(DependencyRules.document(LODASH)).doesNotContain("pattern");
        assertThat(goName("golang.org/x/text/language")).isEqualTo("language");
        assertThat(goName("github.com/go-chi/chi/v5")).isEqualTo("chi");
        assertThat(goName("gopkg.in/yaml.v3")).isEqualTo("yaml");
    }

    private static String goName(String path) {
        Advisory advisory = new Advisory("X", List.of(), "", null, TEXT.modified(), null, List.of(
                new dev.freshet.engine.deps.osv.AffectedPackage(dev.freshet.engine.deps.version.Ecosystem.GO, "m",
                        TEXT.affected().get(0).ranges(), List.of(),
                        List.of(new dev.freshet.engine.deps.osv.AffectedPackage.VulnerableImport(path, List.of("F"))))),
                List.of(), List.of(), null);
        String document = DependencyRules.document(advisory);
        return document.substring(document.indexOf("pattern: ") + 9, document.indexOf(".F(...)"));
    }
}

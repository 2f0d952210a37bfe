package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: real rule files, real source files, the real engine. */
class CommandLineTest {
    private static final String RULE = """
            rules:
              - id: no-eval
                message: eval of $X
                severity: ERROR
                languages: [python]
                pattern: eval($X)
            """;

    @TempDir
    Path dir;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void scanReportsFindingsAndExitsOne() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        Path code = write("src/app.py", "x = 1\neval(user_input)\n");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--no-progress");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("no-eval").contains("eval of user_input").contains(":2:");
    }

    @Test
    void timeListsTheRulesThatRanWithTheirMatchingTime() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        Path code = write("src/app.py", "x = 1\neval(user_input)\n");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--no-progress", "--time");
        assertThat(run.err()).contains("1 file(s), 2 line(s) in").containsPattern("\\d+\\.\\d{3} s  no-eval");
    }

    @Test
    void scanWithoutFindingsExitsZero() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        Path code = write("src/app.py", "print('hello')\n");
        assertThat(run("scan", code.toString(), "--rules", rules.toString()).exit()).isZero();
    }

    @Test
    void jsonOutputIsWrittenToTheOutputFile() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        Path code = write("src/app.py", "eval(a)\neval(b)\n");
        Path report = dir.resolve("report.json");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--format", "json", "--output", report.toString());
        assertThat(run.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("results")).hasSize(2);
        assertThat(json.get("results").get(1).get("start").get("line").asInt()).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void scanJsonPrintsTheJsonReport() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        Path code = write("src/app.py", "eval(a)\n");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--json", "--no-progress");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(run.out()).get("results")).hasSize(1);
        assertThat(run("scan", code.toString(), "--rules", rules.toString(), "--json", "--format", "sarif").err())
                .contains("--json asks for a JSON report, --format sarif for another");
    }

    @Test
    void aSarifRunWithAdvisoriesCountsItsDependencyResults() throws IOException {
        write("project/requirements.txt", "jinja2==2.10\n");
        write("osv/PYSEC-1.json", """
                {"id": "PYSEC-1", "modified": "2026-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "jinja2"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}]}
                """);
        Path report = dir.resolve("deps.sarif");
        CliRun run = run("scan", dir.resolve("project").toString(), "--advisories", dir.resolve("osv").toString(),
                "--format", "sarif", "--output", report.toString(), "--no-progress");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        int results = new ObjectMapper().readTree(report.toFile()).at("/runs/0/results").size();
        assertThat(results).isEqualTo(1);
        assertThat(run.err()).contains("0 finding(s) and 1 vulnerable dependency(ies) written to");
    }

    @Test
    void rulesTestJsonPrintsOneDocument() throws IOException {
        write("tested/no-eval.yaml", RULE);
        write("tested/no-eval.py", "# ruleid: no-eval\neval(x)\n");
        CliRun run = run("rules", "test", dir.resolve("tested").toString(), "--json");
        assertThat(run.exit()).as(run.out()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("totals").get("passed").asInt()).isEqualTo(1);
        assertThat(json.get("results").get(0).get("status").asText()).isEqualTo("passed");
    }

    @Test
    void benchScanMeasuresEachThreadCountOnTheSameInputOfTheLinesAskedFor() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        write("input/a.py", "def run(x):\n    eval(x)\n");
        write("input/b.py", "print(1)\n");
        CliRun run = run("bench", "scan", "--rules", rules.toString(), "--input", dir.resolve("input").toString(),
                "--lines", "50", "--jobs", "1,2", "--warmup", "0", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("lines").asLong()).isBetween(50L, 52L);
        assertThat(json.get("runs")).hasSize(2);
        assertThat(json.at("/runs/0/threads").asInt()).isEqualTo(1);
        assertThat(json.at("/runs/1/threads").asInt()).isEqualTo(2);
        // Copies alternate a.py (2 lines, 1 finding) and b.py (1 line): 33 files hold 50 lines, 17 of them a.py.
        assertThat(json.at("/runs/0/findings").asInt()).isEqualTo(json.at("/runs/1/findings").asInt()).isEqualTo(17);
        assertThat(json.at("/runs/1/parse_seconds").asDouble()).isPositive();
        assertThat(json.at("/runs/1/cpu_seconds").asDouble()).isPositive();
        assertThat(json.get("throughput_ratio").asDouble()).isPositive();

        CliRun bad = run("bench", "scan", "--rules", rules.toString(), "--input", dir.resolve("input").toString(), "--jobs", "0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--jobs").doesNotContain("Exception");
    }

        @Test
    void userErrorsGiveOneLineAndExitTwo() throws IOException {
        Path rules = write("rules/no-eval.yaml", RULE);
        CliRun missing = run("scan", dir.resolve("nope").toString(), "--rules", rules.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory").doesNotContain("Exception").doesNotContain("\tat ");

        CliRun badFormat = run("scan", dir.toString(), "--rules", rules.toString(), "--format", "xml");
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err()).contains("text, json, sarif");

        Path broken = write("broken/bad.yaml", "rules:\n  - id: x\n    pattern: [unclosed\n");
        CliRun noRules = run("scan", dir.toString(), "--rules", broken.toString(), "--keep-going");
        assertThat(noRules.exit()).isEqualTo(2);
        assertThat(noRules.err()).contains("bad.yaml").contains("no usable rules");
    }

    @Test
    void malformedRulesStopTheScanWithExitTwoUnlessKeepGoing() throws IOException {
        write("mixed/no-eval.yaml", RULE);
        write("mixed/bad-severity.yaml", "rules:\n- id: bad\n  languages: [python]\n  severity: SEVERE\n  message: m\n  pattern: f()\n");
        Path code = write("src/app.py", "eval(user_input)\n");

        CliRun stopped = run("scan", code.toString(), "--rules", dir.resolve("mixed").toString(), "--no-progress");
        assertThat(stopped.exit()).isEqualTo(2);
        assertThat(stopped.err()).contains("malformed ").contains("bad-severity.yaml:4 rule bad: unknown severity 'SEVERE'")
                .contains("1 malformed rule file(s) or rule(s)").contains("--keep-going").doesNotContain("\tat ");
        assertThat(stopped.out()).doesNotContain("no-eval");

        CliRun kept = run("scan", code.toString(), "--rules", dir.resolve("mixed").toString(), "--no-progress", "--keep-going");
        assertThat(kept.exit()).as("findings of the good rule").isEqualTo(1);
        assertThat(kept.err()).contains("skipped ").contains("bad-severity.yaml:4");
        assertThat(kept.out()).contains("no-eval");
    }

    /** go/x.yaml hashes into bucket 0 (held out), python/flask/debug.yaml into bucket 83 (shared). */
    @Test
    void rulesTestMeasuresTheHeldOutPartApart() throws IOException {
        write("parts/go/x.yaml", RULE);
        write("parts/go/x.py", "# ruleid: no-eval\nprint(x)\n");
        write("parts/python/flask/debug.yaml", RULE);
        write("parts/python/flask/debug.py", "# ruleid: no-eval\neval(x)\n");
        CliRun text = run("rules", "test", dir.resolve("parts").toString());
        assertThat(text.out()).contains("shared: 1 passed, 0 failed, 0 unsupported, 0 errors (100.0% pass)")
                .contains("held-out (20% of rule files, by SHA-256 of their path): 0 passed, 1 failed, 0 unsupported, 0 errors (0.0% pass)");

        JsonNode json = new ObjectMapper().readTree(run("rules", "test", dir.resolve("parts").toString(), "--json").out());
        assertThat(json.get("shared").get("passed").asInt()).isEqualTo(1);
        assertThat(json.get("held_out").get("failed").asInt()).isEqualTo(1);
        assertThat(json.get("results")).allSatisfy(r -> assertThat(r.get("held_out").asBoolean())
                .isEqualTo(r.get("rule").asText().startsWith("go/")));
    }

    @Test
    void rulesTestPrintsPerRuleResultsAndTheSummaryLast() throws IOException {
        write("t/no-eval.yaml", RULE);
        write("t/no-eval.py", "# ruleid: no-eval\neval(x)\n# ok: no-eval\nprint(x)\n");
        CliRun run = run("rules", "test", dir.resolve("t").toString());
        assertThat(run.exit()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("1 passed, 0 failed, 0 unsupported, 0 errors");
    }

    @Test
    void rulesTestBaselineFailsOnlyOnRegressions() throws IOException {
        write("t/no-eval.yaml", RULE);
        write("t/no-eval.py", "# ruleid: no-eval\nprint(x)\n");
        Path baseline = write("baseline.txt", "no-eval.yaml#no-eval\n");
        CliRun run = run("rules", "test", dir.resolve("t").toString(), "--baseline", baseline.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("no longer pass").contains("no-eval.yaml#no-eval");

        Files.writeString(baseline, "# nothing listed yet\n");
        assertThat(run("rules", "test", dir.resolve("t").toString(), "--baseline", baseline.toString()).exit()).isZero();
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String[] command : new String[][] {{"--help"}, {"scan", "--help"}, {"rules", "test", "--help"}, {"bench", "scan", "--help"}, {"bench", "swap", "--help"}}) {
            CliRun run = run(command);
            assertThat(run.exit()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).as(String.join(" ", command)).contains("Example");
        }
        for (String[] command : new String[][] {{"--version"}, {"scan", "--version"}, {"rules", "test", "-V"}}) {
            assertThat(run(command).out()).as(String.join(" ", command)).startsWith("freshet ");
        }
    }

    @Test
    void updateAndOverrideCommandsWorkOnAFreshStore() {
        String data = dir.resolve("state").toString();
        CliRun status = run("update", "status", "--data-dir", data);
        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("no active release yet");
        CliRun tenant = run("update", "status", "--track", "tenants/acme/rules", "--data-dir", data, "--json");
        assertThat(tenant.exit()).isZero();
        assertThat(tenant.out()).contains("\"track\" : \"tenants/acme/rules\"").contains("\"active_release\" : null");
        CliRun badTrack = run("update", "history", "--track", "../etc", "--data-dir", data);
        assertThat(badTrack.exit()).isEqualTo(2);
        assertThat(badTrack.err()).contains("--track: '../etc' is not a track. Use rules, models/<name>, features/<name> or tenants/<id>/rules.");
        assertThat(run("update", "history", "--track", "models/http-anomaly", "--at", "2026-01-01T00:00:00Z", "--data-dir", data).out())
                .contains("nothing was live at 2026-01-01T00:00:00Z");

        CliRun rollback = run("update", "rollback", "--data-dir", data);
        assertThat(rollback.exit()).isEqualTo(2);
        assertThat(rollback.err()).contains("Nothing to roll back");

        assertThat(run("overrides", "add", "no-eval", "--severity", "INFO", "--data-dir", data).exit()).isZero();
        CliRun list = run("overrides", "list", "--data-dir", data, "--json");
        assertThat(list.out()).contains("\"rule_id\" : \"no-eval\"").contains("INFO");
        CliRun bad = run("overrides", "add", "no-eval", "--severity", "LOUD", "--data-dir", data);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown severity 'LOUD'");
        assertThat(run("overrides", "remove", "--rule", "no-eval", "--data-dir", data).exit()).isZero();
        assertThat(run("overrides", "list", "--data-dir", data).out()).contains("no overrides");
    }

    @Test
    void aDirectorySourceBecomesTheActiveReleaseThatScansUse() throws IOException {
        String data = dir.resolve("state").toString();
        write("upstream/no-eval.yaml", RULE);
        write("upstream/no-eval.py", "# ruleid: no-eval\neval(x)\n");
        Path code = write("src/app.py", "eval(user_input)\n");

        assertThat(run("scan", code.toString(), "--data-dir", data).err()).contains("no active release");
        assertThat(run("sources", "add", "upstream", "--dir", dir.resolve("upstream").toString(), "--data-dir", data).exit()).isZero();
        CliRun check = run("update", "check", "--data-dir", data);
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("upstream").contains("changed").contains("1 rules (1 added");
        assertThat(run("update", "check", "--data-dir", data).out()).contains("nothing new");

        CliRun scan = run("scan", code.toString(), "--data-dir", data, "--no-progress");
        assertThat(scan.exit()).isEqualTo(1);
        assertThat(scan.out()).contains("no-eval");

        assertThat(run("overrides", "add", "no-eval", "--disable", "--data-dir", data).exit()).isZero();
        assertThat(run("scan", code.toString(), "--data-dir", data, "--no-progress").err()).contains("no usable rules");

        CliRun sources = run("sources", "list", "--data-dir", data, "--json");
        assertThat(sources.out()).contains("\"name\" : \"upstream\"").contains("last_revision");
        assertThat(run("sources", "disable", "upstream", "--data-dir", data).out()).contains("disabled upstream");
        assertThat(run("sources", "remove", "nope", "--data-dir", data).err()).contains("no source named 'nope'");
    }

    @Test
    void sourcesDeclaredInTheConfigFileAreUsed() throws IOException {
        write("upstream/no-eval.yaml", RULE);
        Path config = write("freshet.toml", """
                data_dir = "state"

                [[sources]]
                name = "declared"
                kind = "local"
                location = "%s"
                priority = 5
                """.formatted(dir.resolve("upstream").toString().replace("\\", "/")));
        CliRun check = run("update", "check", "--config", config.toString());
        assertThat(check.exit()).isZero();
        assertThat(check.out()).contains("declared").contains("1 added");
        assertThat(Files.exists(dir.resolve("state/freshet.db"))).isTrue();

        Path bad = write("bad.toml", "data_dir = \"state\"\n[[sources]]\nname = \"x\"\nkind = \"ftp\"\nlocation = \"y\"\n");
        assertThat(run("update", "check", "--config", bad.toString()).err()).contains("unknown kind 'ftp'");
    }

    @Test
    void syncedAdvisoriesAreReleasedAsRulesAndFoundInAWatchedProject() throws IOException {
        write("osv/PYSEC-1.json", """
                {"id": "PYSEC-1", "aliases": ["CVE-2000-1"], "modified": "2024-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "Jinja2"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}]}
                """);
        write("shop/requirements.txt", "flask==2.0\njinja2==2.10\n");
        String data = dir.resolve("state").toString();
        assertThat(run("feeds", "sync", "--osv-dir", dir.resolve("osv").toString(), "--data-dir", data).exit()).isZero();
        assertThat(run("sources", "add", "vulns", "--advisories", "--data-dir", data).exit()).isZero();
        assertThat(run("sources", "add", "odd", "--advisories", "nuget", "--data-dir", data).err())
                .contains("unknown ecosystem 'nuget'");
        assertThat(run("projects", "add", "shop", dir.resolve("shop").toString(), "--data-dir", data).exit()).isZero();
        assertThat(run("projects", "add", "gone", dir.resolve("nowhere").toString(), "--data-dir", data).err())
                .contains("not a directory");

        CliRun check = run("update", "check", "--data-dir", data);
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).contains("1 added");
        assertThat(check.err()).contains("new finding in watched project shop: PYSEC-1 jinja2@2.10");

        CliRun findings = run("projects", "findings", "shop", "--json", "--data-dir", data);
        assertThat(findings.out()).contains("\"advisory_id\" : \"PYSEC-1\"").contains("\"package_name\" : \"jinja2\"");
        assertThat(run("projects", "list", "--data-dir", data).out()).contains("shop").contains("PyPI");
        assertThat(run("feeds", "status", "--data-dir", data).out()).contains("osv-dir:").contains("fresh");
    }

    @Test
    void scanReportsVulnerableDependenciesFromAnAdvisoryDirectory() throws IOException {
        write("advisories/PYSEC-1.json", """
                {"id": "PYSEC-1", "aliases": ["CVE-2000-1"], "modified": "2024-01-01T00:00:00Z",
                 "affected": [{"package": {"ecosystem": "PyPI", "name": "Jinja2"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.10.1"}]}]}]}
                """);
        write("advisories/broken.json", "{not json");
        write("project/requirements.txt", "flask==2.0\njinja2==2.10\n");
        CliRun run = run("scan", dir.resolve("project").toString(), "--advisories", dir.resolve("advisories").toString(),
                "--format", "json", "--data-dir", dir.resolve("state").toString(), "--no-progress");
        assertThat(run.exit()).isEqualTo(1);
        JsonNode dependency = new ObjectMapper().readTree(run.out()).at("/dependencies/0");
        assertThat(dependency.get("package").asText()).isEqualTo("jinja2");
        assertThat(dependency.get("version").asText()).isEqualTo("2.10");
        assertThat(dependency.get("advisory_ids")).extracting(JsonNode::asText).containsExactly("PYSEC-1", "CVE-2000-1");
        assertThat(run.err()).contains("1 advisory file(s) skipped").contains("broken.json");
        assertThat(run("scan", dir.resolve("project").toString(), "--advisories", dir.resolve("nope").toString()).err())
                .contains("--advisories must be a directory");
    }

    private static final String FIX_RULE = """
            rules:
              - id: use-sys-exit
                message: use sys.exit($X)
                severity: WARNING
                languages: [python]
                pattern: exit($X)
                fix: sys.exit($X)
            """;

    @Test
    void autofixRewritesTheFilesAndSaysHowManyFixesEachGot() throws IOException {
        Path rules = write("rules/exit.yaml", FIX_RULE);
        Path code = write("src/app.py", "import sys\r\nif done:\r\n    exit(0)\r\nexit(1)\r\n");
        Path clean = write("src/clean.py", "print(1)\n");
        CliRun run = run("scan", dir.resolve("src").toString(), "--rules", rules.toString(), "--autofix", "--no-progress");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(Files.readString(code)).isEqualTo("import sys\r\nif done:\r\n    sys.exit(0)\r\nsys.exit(1)\r\n");
        assertThat(Files.readString(clean)).isEqualTo("print(1)\n");
        assertThat(run.err()).contains("app.py: 2 fix(es) applied").contains("2 fix(es) applied in 1 file(s)");
        assertThat(run.out()).contains("use-sys-exit");
        CliRun again = run("scan", code.toString(), "--rules", rules.toString(), "--autofix", "--no-progress");
        assertThat(again.exit()).isZero();
        assertThat(again.err()).contains("0 fix(es) applied in 0 file(s) (no finding has a fix)");
    }

    @Test
    void dryRunPrintsAUnifiedDiffAndChangesNothing() throws IOException {
        Path rules = write("rules/exit.yaml", FIX_RULE);
        String source = "a = 1\nexit(a)\n";
        Path code = write("src/app.py", source);
        Path report = dir.resolve("report.json");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--autofix", "--dryrun", "--no-progress",
                "--format", "json", "--output", report.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(Files.readString(code)).isEqualTo(source);
        assertThat(run.out()).endsWith("@@ -1,2 +1,2 @@\n a = 1\n-exit(a)\n+sys.exit(a)\n").contains("--- a/").contains("src/app.py");
        assertThat(run.err()).contains("1 fix(es) would be applied");
        JsonNode result = new ObjectMapper().readTree(report.toFile()).get("results").get(0);
        assertThat(result.get("fix").asText()).isEqualTo("sys.exit(a)");
        assertThat(result.get("fixed_lines").get(0).asText()).isEqualTo("sys.exit(a)");
    }

    @Test
    void dryRunNeedsAutofix() throws IOException {
        Path rules = write("rules/exit.yaml", FIX_RULE);
        Path code = write("src/app.py", "exit(1)\n");
        CliRun run = run("scan", code.toString(), "--rules", rules.toString(), "--dryrun");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--dryrun only works together with --autofix");
        assertThat(Files.readString(code)).isEqualTo("exit(1)\n");
    }

    @Test
    void rulesTestChecksFixedFiles() throws IOException {
        write("tests/exit.yaml", FIX_RULE);
        write("tests/exit.py", "# ruleid: use-sys-exit\nexit(1)\n");
        write("tests/exit.fixed.py", "# ruleid: use-sys-exit\nsys.exit(2)\n");
        CliRun run = run("rules", "test", dir.resolve("tests").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("exit.fixed.py differs from the fixed test file: from line 2:\n")
                .contains("  -sys.exit(2)").contains("  +sys.exit(1)")
                .contains("fixtests: 0 of 1 fixed files reproduced by the rules' fixes");
    }
}

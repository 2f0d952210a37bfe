package dev.freshet.updates.release;

import static dev.freshet.updates.release.Fixtures.accepted;
import static dev.freshet.updates.release.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.rules.RuleSet;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class OverridesTest {
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private static final AcceptedRule EVAL = rule("no-eval", "eval($X)");
    private static final AcceptedRule EXEC = rule("no-exec", "exec($X)");
    private static final AcceptedRule EITHER = rule("no-pickle", "upstream", """
            rules:
            - id: no-pickle
              message: unpickling untrusted data
              severity: ERROR
              languages: [python]
              pattern-either:
              - pattern: pickle.loads($X)
              - pattern: pickle.load($X)
              paths:
                exclude: ["vendor/"]
              metadata:
                cwe: CWE-502
            """);
    private static final AcceptedRule CONJUNCTION = rule("no-system", "upstream", """
            rules:
            - id: no-system
              message: shell command
              severity: WARNING
              languages: [python]
              patterns:
              - pattern: os.system($X)
              - pattern-not: os.system("true")
            """);
    private static final AcceptedRule TAINT = rule("taint-sql", "upstream", """
            rules:
            - id: taint-sql
              message: tainted SQL
              severity: ERROR
              languages: [python]
              mode: taint
              pattern-sources:
              - pattern: input()
              pattern-sinks:
              - pattern: cursor.execute(...)
            """);

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    StoreLocation location;
    Database database;
    ReleaseStore releases;
    Overrides overrides;

    @BeforeEach
    void open() {
        location = TestStores.fresh(kind, tmp);
        database = Database.open(location);
        Fixtures.ManualClock clock = new Fixtures.ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        releases = new ReleaseStore(database.jdbi(), clock);
        overrides = new Overrides(database.jdbi(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void overridesChangeWhatTheEngineFinds() throws IOException {
        activate(EVAL, EXEC, EITHER);
        overrides.add("no-eval", new OverrideChange.AddPatternNot("eval(\"1 + 1\")"));
        overrides.add("no-eval", new OverrideChange.SetSeverity("high"));
        overrides.add("no-pickle", new OverrideChange.ExcludePaths(List.of("tests/")));
        overrides.add("no-exec", new OverrideChange.Disable());
        String code = "import pickle\neval(\"1 + 1\")\neval(user_input)\nexec(user_input)\npickle.loads(blob)\n";
        Path app = write("app/main.py", code);
        Path test = write("tests/test_main.py", code);

        List<Finding> upstream = scan(List.of(EVAL, EXEC, EITHER), app, test);
        List<Finding> local = scan(overrides.apply(List.of(EVAL, EXEC, EITHER)), app, test);

        assertThat(upstream).extracting(f -> f.ruleId() + "@" + tmp.relativize(f.file()) + ":" + f.startLine())
                .containsExactlyInAnyOrder("no-eval@app/main.py:2", "no-eval@app/main.py:3", "no-exec@app/main.py:4",
                        "no-pickle@app/main.py:5", "no-eval@tests/test_main.py:2", "no-eval@tests/test_main.py:3",
                        "no-exec@tests/test_main.py:4", "no-pickle@tests/test_main.py:5");
        assertThat(local).extracting(f -> f.ruleId() + "@" + tmp.relativize(f.file()) + ":" + f.startLine() + " " + f.severity())
                .containsExactlyInAnyOrder("no-eval@app/main.py:3 HIGH", "no-pickle@app/main.py:5 ERROR",
                        "no-eval@tests/test_main.py:3 HIGH");
    }

    @Test
    void theRuleYamlIsEditedInPlace() {
        List<LocalOverride> given = List.of(
                override(1, "no-pickle", new OverrideChange.AddPatternNot("pickle.loads(SAFE)"), EITHER.sha256()),
                override(2, "no-pickle", new OverrideChange.ExcludePaths(List.of("tests/", "vendor/")), EITHER.sha256()),
                override(3, "no-system", new OverrideChange.AddPatternNot("os.system(\"ls\")"), CONJUNCTION.sha256()));

        Overrides.Applied applied = Overrides.apply(List.of(EVAL, EITHER, CONJUNCTION), given);

        assertThat(applied.rules().get(0)).as("no override, untouched").isSameAs(EVAL);
        AcceptedRule pickle = applied.rules().get(1);
        assertThat(pickle.sha256()).isEqualTo(Hashes.sha256(pickle.yaml())).isNotEqualTo(EITHER.sha256());
        assertThat(List.copyOf(ruleMap(pickle).keySet())).as("formula keeps its place")
                .containsExactly("id", "message", "severity", "languages", "patterns", "paths", "metadata");
        assertThat(ruleMap(pickle).get("patterns")).isEqualTo(List.of(
                Map.of("pattern-either", List.of(Map.of("pattern", "pickle.loads($X)"), Map.of("pattern", "pickle.load($X)"))),
                Map.of("pattern-not", "pickle.loads(SAFE)")));
        assertThat(ruleMap(pickle).get("paths")).isEqualTo(Map.of("exclude", List.of("vendor/", "tests/")));
        assertThat(ruleMap(applied.rules().get(2)).get("patterns")).as("a conjunction gains one more clause").isEqualTo(List.of(
                Map.of("pattern", "os.system($X)"), Map.of("pattern-not", "os.system(\"true\")"),
                Map.of("pattern-not", "os.system(\"ls\")")));
        assertThat(applied.rules()).extracting(AcceptedRule::source, AcceptedRule::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("upstream", "rules/no-eval.yaml"),
                        org.assertj.core.groups.Tuple.tuple("upstream", "rules/no-pickle.yaml"),
                        org.assertj.core.groups.Tuple.tuple("upstream", "rules/no-system.yaml"));
        assertThat(applied.drifts()).isEmpty();
        assertThat(applied.orphaned()).isEmpty();
        assertThat(applied.unapplied()).isEmpty();
        RuleSet loaded = new RuleLoader(new PatternCompiler(PARSER)).parse(tmp.resolve("effective.yaml"),
                applied.rules().get(1).yaml());
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.rules().get(0).paths().exclude()).containsExactly("vendor/", "tests/");
    }

    @Test
    void anOverrideThatDoesNotFitItsRuleIsReportedAndTheRestStillApplies() {
        LocalOverride patternNot = override(1, "taint-sql", new OverrideChange.AddPatternNot("cursor.execute(\"SELECT 1\")"), null);
        LocalOverride severity = override(2, "taint-sql", new OverrideChange.SetSeverity("LOW"), null);

        Overrides.Applied applied = Overrides.apply(List.of(TAINT), List.of(patternNot, severity));

        assertThat(applied.unapplied()).singleElement().satisfies(u -> {
            assertThat(u.override()).isEqualTo(patternNot);
            assertThat(u.reason()).contains("no top-level pattern");
        });
        assertThat(ruleMap(applied.rules().get(0))).containsEntry("severity", "LOW").doesNotContainKey("patterns");
    }

    @Test
    void upstreamChangesUnderneathAnOverrideAreReported() {
        Release first = activate(EVAL, EXEC);
        LocalOverride disabled = overrides.add("no-exec", new OverrideChange.Disable());
        LocalOverride severity = overrides.add("no-eval", new OverrideChange.SetSeverity("INFO"));
        assertThat(disabled.baseSha256()).isEqualTo(EXEC.sha256());

        AcceptedRule evalChanged = rule("no-eval", "eval($X, ...)");
        List<AcceptedRule> update = List.of(evalChanged, rule("no-compile", "compile($X)"));
        Release second = activate(update.toArray(AcceptedRule[]::new));
        Overrides.Applied applied = overrides.applyWithReport(second.rules());

        assertThat(applied.drifts()).containsExactly(new Drift(severity, evalChanged.sha256()));
        assertThat(applied.drifts().get(0).ruleId()).isEqualTo("no-eval");
        assertThat(applied.orphaned()).containsExactly(disabled);
        assertThat(applied.rules()).extracting(AcceptedRule::id).containsExactly("no-compile", "no-eval");
        assertThat(overrides.applyWithReport(first.rules()).drifts()).as("against the old release nothing drifted").isEmpty();

        assertThat(overrides.rebase("no-eval")).isEqualTo(1);
        assertThat(overrides.applyWithReport(second.rules()).drifts()).isEmpty();
        assertThat(overrides.list()).filteredOn(o -> o.ruleId().equals("no-eval")).singleElement()
                .extracting(LocalOverride::baseSha256).isEqualTo(evalChanged.sha256());
    }

    @Test
    void overridesAreStoredListedReplacedAndRemoved() {
        activate(EVAL, EXEC);
        LocalOverride severity = overrides.add("no-eval", new OverrideChange.SetSeverity("warning"));
        LocalOverride replacement = overrides.add("no-eval", new OverrideChange.SetSeverity("critical"));
        LocalOverride exclude = overrides.add("no-eval", new OverrideChange.ExcludePaths(List.of("tests/**", "docs/")));
        LocalOverride sameAgain = overrides.add("no-eval", new OverrideChange.ExcludePaths(List.of("tests/**", "docs/")));
        LocalOverride patternNot = overrides.add("no-exec", new OverrideChange.AddPatternNot("exec(\"pass\")"));

        assertThat(severity.id()).isEqualTo(1);
        assertThat(sameAgain).isEqualTo(exclude);
        assertThat(replacement.change()).isEqualTo(new OverrideChange.SetSeverity("CRITICAL"));
        database.close();
        database = Database.open(location);
        overrides = new Overrides(database);
        assertThat(overrides.list()).containsExactly(replacement, exclude, patternNot);

        assertThat(overrides.remove(exclude.id())).isTrue();
        assertThat(overrides.remove(exclude.id())).isFalse();
        assertThat(overrides.list()).containsExactly(replacement, patternNot);
        assertThat(overrides.removeAll("no-exec")).isEqualTo(1);
        assertThat(overrides.list()).containsExactly(replacement);
    }

    @Test
    void badOverridesAreRefusedWithAReason() {
        assertThatThrownBy(() -> new OverrideChange.SetSeverity("urgent"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("Unknown severity 'urgent'").hasMessageContaining("CRITICAL");
        assertThatThrownBy(() -> new OverrideChange.ExcludePaths(List.of()))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("at least one glob");
        assertThatThrownBy(() -> new OverrideChange.AddPatternNot(" "))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("needs a pattern");
        // Before any release is live there is nothing to check the rule id against.
        assertThat(overrides.add("future-rule", new OverrideChange.Disable()).baseSha256()).isNull();

        activate(EVAL);
        assertThatThrownBy(() -> overrides.add("no-evil", new OverrideChange.Disable()))
                .isInstanceOf(ReleaseException.class)
                .hasMessageContaining("Rule 'no-evil' is not in the active release");
        assertThat(overrides.list()).extracting(LocalOverride::ruleId).containsExactly("future-rule");
    }

    private Release activate(AcceptedRule... rules) {
        List<AcceptedRule> list = List.of(rules);
        Release release = releases.create(list, accepted(list));
        releases.activate(release.id(), Trigger.USER, "test");
        return release;
    }

    private static LocalOverride override(long id, String ruleId, OverrideChange change, String base) {
        return new LocalOverride(id, ruleId, change, base, Instant.EPOCH);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ruleMap(AcceptedRule rule) {
        Map<String, Object> document = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(rule.yaml());
        return ((List<Map<String, Object>>) document.get("rules")).get(0);
    }

    private Path write(String relative, String content) throws IOException {
        Path file = tmp.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private List<Finding> scan(List<AcceptedRule> rules, Path... files) {
        RuleLoader loader = new RuleLoader(new PatternCompiler(PARSER));
        List<dev.freshet.engine.rules.Rule> loaded = new ArrayList<>();
        for (AcceptedRule rule : rules) {
            RuleSet set = loader.parse(tmp.resolve(rule.path()), rule.yaml());
            assertThat(set.problems()).as("problems loading %s", rule.id()).isEmpty();
            loaded.addAll(set.rules());
        }
        ScanResult result = new Scanner(PARSER, new Scanner.Options(Duration.ofSeconds(10), 1, true))
                .scan(loaded, List.of(files), tmp, n -> { });
        assertThat(result.problems()).isEmpty();
        return result.findings();
    }
}

package dev.freshet.updates.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Code rules run over watched projects after every activation, and their findings keep a history
 * by fingerprint: not new when seen again or moved, new when a new rule finds them, resolved when
 * the code goes.
 */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class WatchedProjectCodeTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private static String rule(String id, String pattern) {
        return """
                rules:
                  - id: %s
                    message: "call of $F"
                    severity: ERROR
                    languages: [python]
                    pattern: %s
                """.formatted(id, pattern);
    }

    @Test
    void codeFindingsFollowReleasesAndCodeChanges() throws IOException {
        Path rules = Files.createDirectories(parts.dir().resolve("rules"));
        parts.get().sources().add(new LocalDirectorySource("local", rules, SourceSettings.defaults()));
        Files.writeString(rules.resolve("no-eval.yaml"), rule("no-eval", "eval(...)"));
        Path project = Files.createDirectories(parts.dir().resolve("shop"));
        Files.writeString(project.resolve("app.py"), "import os\neval(data)\nos.system(cmd)\n");
        Files.createDirectories(project.resolve("lib"));
        Files.writeString(project.resolve("lib/util.py"), "def f():\n    return 1\n");
        ProjectMonitor monitor = parts.get().projects();
        monitor.add("shop", project);
        Updater updater = parts.updater(UpdatePolicy.DEFAULT);
        ActiveKnowledge active = parts.get().knowledge();

        assertThat(updater.check(Trigger.USER).activation()).isPresent();
        active.refresh();
        List<ProjectFinding> first = monitor.scanAll(active.holder().current());
        assertThat(first).singleElement().isInstanceOfSatisfying(ProjectFinding.Code.class, f -> {
            assertThat(f.ruleId()).isEqualTo("no-eval");
            assertThat(f.path()).isEqualTo("app.py");
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.severity()).isEqualTo("ERROR");
            assertThat(f.resolvedAt()).isNull();
        });
        assertThat(monitor.scanAll(active.holder().current())).as("seen before, not new").isEmpty();

        Files.writeString(project.resolve("app.py"), "import os\n\n\n# moved down\neval(data)\nos.system(cmd)\n");
        assertThat(monitor.scanAll(active.holder().current())).as("moved, the same finding").isEmpty();
        assertThat(monitor.findings("shop", false)).singleElement().isInstanceOfSatisfying(ProjectFinding.Code.class,
                f -> assertThat(f.line()).as("where the latest scan saw it").isEqualTo(5));

        Files.writeString(rules.resolve("no-system.yaml"), rule("no-system", "os.system(...)"));
        assertThat(updater.check(Trigger.USER).activation()).isPresent();
        active.refresh();
        assertThat(monitor.scanAll(active.holder().current())).as("only the new rule's finding is new")
                .singleElement().isInstanceOfSatisfying(ProjectFinding.Code.class, f -> {
                    assertThat(f.ruleId()).isEqualTo("no-system");
                    assertThat(f.line()).isEqualTo(6);
                    assertThat(f.message()).isEqualTo("call of $F");
                });

        Files.writeString(project.resolve("app.py"), "import os\nos.system(cmd)\n");
        assertThat(monitor.scanAll(active.holder().current())).isEmpty();
        assertThat(monitor.findings("shop", false)).extracting(f -> ((ProjectFinding.Code) f).ruleId()).containsExactly("no-system");
        assertThat(monitor.findings("shop", true)).filteredOn(f -> f.resolvedAt() != null)
                .extracting(f -> ((ProjectFinding.Code) f).ruleId()).as("the removed call's finding is resolved").containsExactly("no-eval");

        Files.delete(rules.resolve("no-system.yaml"));
        assertThat(updater.check(Trigger.USER).activation()).isPresent();
        active.refresh();
        monitor.scanAll(active.holder().current());
        assertThat(monitor.findings("shop", false)).as("a removed rule's findings are resolved").isEmpty();

        assertThat(monitor.remove("shop")).isTrue();
        assertThat(monitor.findings("shop", true)).isEmpty();
    }
}

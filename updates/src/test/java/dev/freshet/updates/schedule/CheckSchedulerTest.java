package dev.freshet.updates.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.TestParts;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A real scheduler on the production parts and each kind of store fires the source's check on its cron schedule. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class CheckSchedulerTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private Path tmp;
    private SourceRegistry registry;
    private Updater updater;

    @BeforeEach
    void open() {
        tmp = parts.dir();
        registry = parts.get().sources();
        updater = parts.updater(UpdatePolicy.DEFAULT);
    }

    @Test
    void aSourceIsCheckedOnItsScheduleAndTheScheduleSurvivesARestart() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("no-eval.yaml"), NO_EVAL);
        ReleaseStore releases = parts.get().releases();
        Database database = parts.get().database();
        // Each run is a scheduler started afresh on the same store, as after a restart.
        for (int run = 0; run < 2; run++) {
            int before = releases.history().size();
            if (run == 1) {
                Files.writeString(rules.resolve("no-exec.yaml"), NO_EVAL.replace("no-eval", "no-exec").replace("eval(...)", "exec(...)"));
            }
            try (CheckScheduler scheduler = new CheckScheduler(database.dataSource(),
                    List.of(CheckScheduler.sourceChecks(registry, updater, Clock.systemUTC(), "* * * * * *", result -> { })),
                    Duration.ofMillis(200))) {
                scheduler.start();
                if (run == 0) {
                    // Added while the scheduler runs: the next tick sees it.
                    registry.add(new LocalDirectorySource("local", rules, EVERY_SECOND));
                }
                awaitRelease(releases, before);
            }
            assertThat(releases.history()).hasSize(before + 1);
            assertThat(releases.history().get(before).trigger()).isEqualTo(Trigger.SCHEDULE);
            assertThat(releases.active().orElseThrow().rules()).hasSize(run + 1);
            int tasks = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'check-sources'").mapTo(Integer.class).one());
            assertThat(tasks).isEqualTo(1);
        }
    }

    @Test
    void aSourceIsDueWhenItsScheduleFiredSinceItsLastCheck() {
        Instant now = Instant.parse("2026-11-22T10:30:00Z");
        SourceSettings hourly = new SourceSettings(SourceSettings.defaults().channel(), "0 0 * * * *", 0, true, false);
        LocalDirectorySource source = new LocalDirectorySource("local", tmp, hourly);
        assertThat(CheckScheduler.isDue(entry(source, null), now)).as("never checked").isTrue();
        assertThat(CheckScheduler.isDue(entry(source, Instant.parse("2026-11-22T10:00:05Z")), now)).as("checked after 10:00").isFalse();
        assertThat(CheckScheduler.isDue(entry(source, Instant.parse("2026-11-22T09:59:59Z")), now)).as("10:00 passed since").isTrue();
        SourceSettings disabled = new SourceSettings(hourly.channel(), "-", 0, true, false);
        assertThat(CheckScheduler.isDue(entry(new LocalDirectorySource("off", tmp, disabled), null), now)).as("'-' never fires").isFalse();
        SourceSettings broken = new SourceSettings(hourly.channel(), "every hour", 0, true, false);
        assertThat(CheckScheduler.isDue(entry(new LocalDirectorySource("bad", tmp, broken), null), now))
                .as("an unusable schedule is skipped, not fatal").isFalse();
    }

    @Test
    void aFailingSourceWaitsForItsNextTurn() {
        SourceSettings yearly = new SourceSettings(SourceSettings.defaults().channel(), "0 0 0 1 1 *", 0, true, false);
        registry.add(new LocalDirectorySource("missing", tmp.resolve("no-such-dir"), yearly));
        CheckScheduler.Job job = CheckScheduler.sourceChecks(registry, updater, Clock.systemUTC(), "* * * * * *", result -> { });
        job.work().run();
        SourceRegistry.Entry checked = registry.list().get(0);
        assertThat(checked.lastError()).isPresent();
        assertThat(checked.lastCheckedAt()).isPresent();
        job.work().run();
        assertThat(registry.list().get(0).lastCheckedAt()).as("not checked again before next year").isEqualTo(checked.lastCheckedAt());
    }

    private static final String NO_EVAL = """
            rules:
              - id: no-eval
                message: eval
                severity: ERROR
                languages: [python]
                pattern: eval(...)
            """;
    private static final SourceSettings EVERY_SECOND = new SourceSettings(SourceSettings.defaults().channel(), "* * * * * *", 0, true, false);

    private static void awaitRelease(ReleaseStore releases, int before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (releases.history().size() == before && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static SourceRegistry.Entry entry(LocalDirectorySource source, Instant lastChecked) {
        return new SourceRegistry.Entry(source, Optional.empty(), Optional.ofNullable(lastChecked), Optional.empty());
    }
}

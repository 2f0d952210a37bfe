package dev.freshet.updates.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real scheduler on a real SQLite store fires the source's check on its cron schedule. */
class CheckSchedulerTest {
    @TempDir
    Path tmp;

    @Test
    void aSourceIsCheckedOnItsScheduleAndTheScheduleSurvivesARestart() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("no-eval.yaml"), """
                rules:
                  - id: no-eval
                    message: eval
                    severity: ERROR
                    languages: [python]
                    pattern: eval(...)
                """);
        SourceSettings everySecond = new SourceSettings(SourceSettings.defaults().channel(), "* * * * * *", 0, true, false);
        for (int run = 0; run < 2; run++) {
            try (Database database = Database.open(tmp.resolve("data"))) {
                SourceRegistry registry = new SourceRegistry(database.jdbi(), Clock.systemUTC());
                if (run == 0) {
                    registry.add(new LocalDirectorySource("local", rules, everySecond));
                }
                ReleaseStore releases = new ReleaseStore(database);
                Updater updater = new Updater(registry, new SourceFetchers(tmp.resolve("git")),
                        new ValidationGate(GatePolicy.defaults("0.1.0").withThreads(1)), releases, UpdatePolicy.DEFAULT,
                        release -> Optional.empty(), new PendingUpdates(database.jdbi(), Clock.systemUTC()), Clock.systemUTC());
                int before = releases.history().size();
                if (run == 1) {
                    Files.writeString(rules.resolve("no-exec.yaml"), Files.readString(rules.resolve("no-eval.yaml"))
                            .replace("no-eval", "no-exec").replace("eval(...)", "exec(...)"));
                }
                try (CheckScheduler scheduler = new CheckScheduler(database.dataSource(),
                        CheckScheduler.sourceChecks(registry, updater, result -> { }), Duration.ofMillis(200))) {
                    scheduler.start();
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (releases.history().size() == before && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                }
                assertThat(releases.history()).hasSize(before + 1);
                assertThat(releases.history().get(before).trigger()).isEqualTo(Trigger.SCHEDULE);
                assertThat(releases.active().orElseThrow().rules()).hasSize(run + 1);
                int tasks = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'check-source-local'").mapTo(Integer.class).one());
                assertThat(tasks).isEqualTo(1);
            }
        }
    }
}

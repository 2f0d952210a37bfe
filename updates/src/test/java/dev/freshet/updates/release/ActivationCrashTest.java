package dev.freshet.updates.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while it activates and rolls back releases leaves a store whose active
 * release is one of the releases, whole, and agrees with the last entry of the history.
 */
class ActivationCrashTest {
    @TempDir
    Path tmp;

    @Test
    void aKillDuringActivationsLeavesOneWholeReleaseActive() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path data = tmp.resolve("data-" + round);
            Database.open(data).close();
            KilledChild.runAndKill(ActivationCrashChild.class, data, 100, 600);
            try (Database database = Database.open(data)) {
                ReleaseStore releases = new ReleaseStore(database);
                List<ReleaseSummary> all = releases.list();
                Release active = releases.active().orElseThrow();
                assertThat(all).extracting(ReleaseSummary::id).contains(active.id());
                assertThat(all).filteredOn(ReleaseSummary::active).extracting(ReleaseSummary::id).containsExactly(active.id());
                assertThat(active.rules()).hasSizeBetween(1, 2);
                List<Activation> history = releases.history();
                assertThat(history).as("activations happened before the kill").hasSizeGreaterThan(1);
                assertThat(history.get(history.size() - 1).releaseId()).isEqualTo(active.id());
                // The store still works: the next activation goes through.
                String other = all.stream().map(ReleaseSummary::id).filter(id -> !id.equals(active.id())).findFirst().orElseThrow();
                releases.activate(other, Trigger.USER, "after the crash");
                assertThat(releases.active().orElseThrow().id()).isEqualTo(other);
            }
        }
    }
}

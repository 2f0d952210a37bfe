package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.KilledChild;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.ReleaseSummary;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) while it promotes rollouts leaves one active release per track that agrees with the
 * history, a rollout row that agrees with it, and a store in which the rollout can go on.
 */
class PromotionCrashTest {
    @TempDir
    Path tmp;

    @Test
    void aKillDuringPromotionsLeavesTheStoreAndTheRolloutConsistent() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path data = tmp.resolve("data-" + round);
            Database.open(data).close();
            KilledChild.runAndKill(PromotionCrashChild.class, data, 300, 900);
            try (Database database = Database.open(data)) {
                Clock clock = Clock.systemUTC();
                ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
                RolloutEngine engine = new RolloutEngine(database.jdbi(), new ActivationService(database.jdbi(), releases, clock), clock);
                Release active = releases.active().orElseThrow();
                assertThat(releases.list()).filteredOn(ReleaseSummary::active).extracting(ReleaseSummary::id).containsExactly(active.id());
                List<Activation> history = releases.history();
                assertThat(history.getLast().releaseId()).isEqualTo(active.id());

                int promoted = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM rollouts WHERE state = 'PROMOTED'")
                        .mapTo(Integer.class).one());
                assertThat(promoted).as("promotions happened before the kill").isPositive();
                assertThat(history).as("one activation per promoted rollout, never one without the other")
                        .filteredOn(a -> a.reason().startsWith("rollout ")).hasSize(promoted);
                int underWay = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM rollouts WHERE state IN ('RUNNING', 'PAUSED')").mapTo(Integer.class).one());
                assertThat(underWay).as("at most one rollout under way").isLessThanOrEqualTo(1);
                Rollout latest = engine.latest(Track.RULES).orElseThrow();
                assertThat(active.id()).as("the newest rollout %s agrees with the active release", latest)
                        .isEqualTo(latest.state() == Rollout.State.PROMOTED ? latest.releaseId() : latest.stableReleaseId());

                // The rollout goes on where it was: one under way is promoted, else a new one starts and is promoted.
                if (latest.state().finished()) {
                    String other = releases.list().stream().map(ReleaseSummary::id).filter(id -> !id.equals(active.id()))
                            .findFirst().orElseThrow();
                    engine.start(other, Optional.of(PromotionCrashChild.PLAN), "after the crash");
                }
                Rollout done = engine.promote(Track.RULES, "after the crash");
                assertThat(done.state()).isEqualTo(Rollout.State.PROMOTED);
                assertThat(releases.active().orElseThrow().id()).isEqualTo(done.releaseId());
            }
        }
    }
}

package dev.freshet.updates.rollout;

import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Fixtures;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A process that rolls two releases out in turn and promotes (or now and then aborts) each rollout
 * as fast as it can until it is killed. Prints "ready" once the first rollout is promoted. Used by {@link PromotionCrashTest}.
 */
public final class PromotionCrashChild {
    static final RolloutPlan PLAN = new RolloutPlan(List.of("5", "100"), 600, 1, 1, RolloutPlan.Inconclusive.PAUSE,
            0.02, 1.5, 2.0, false);

    private PromotionCrashChild() {
    }

    public static void main(String[] args) {
        try (Database database = Database.open(Path.of(args[0]))) {
            Clock clock = Clock.systemUTC();
            ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
            ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
            RolloutEngine engine = new RolloutEngine(database.jdbi(), activations, clock);
            Release a = releases.create(List.of(Fixtures.rule("a", "eval(...)")), new GateReport(List.of()));
            Release b = releases.create(List.of(Fixtures.rule("a", "eval(...)"), Fixtures.rule("b", "exec(...)")),
                    new GateReport(List.of()));
            activations.activate(a.id(), Trigger.USER, "crash test");
            for (int i = 0; ; i++) {
                String next = releases.active().map(Release::id).filter(a.id()::equals).isPresent() ? b.id() : a.id();
                engine.start(next, Optional.of(PLAN), "crash test " + i);
                if (i % 4 == 3) {
                    engine.abort(Track.RULES, "crash test");
                } else {
                    engine.promote(Track.RULES, "crash test"); // from 5 to 100: the promotion, with its activation
                }
                if (i == 0) {
                    // Ready once a promotion is done: on a loaded machine the kill may come before a second one.
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
    }
}

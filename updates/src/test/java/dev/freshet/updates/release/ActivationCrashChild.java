package dev.freshet.updates.release;

import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A process that activates and rolls back releases as fast as it can until it is killed. Prints
 * "ready" once the loop runs. Used by {@link ActivationCrashTest}.
 */
public final class ActivationCrashChild {
    private ActivationCrashChild() {
    }

    public static void main(String[] args) {
        try (Database database = Database.open(Path.of(args[0]))) {
            ReleaseStore releases = new ReleaseStore(database);
            Release a = releases.create(List.of(Fixtures.rule("a", "eval(...)")), new GateReport(List.of()));
            Release b = releases.create(List.of(Fixtures.rule("a", "eval(...)"), Fixtures.rule("b", "exec(...)")),
                    new GateReport(List.of()));
            releases.activate(a.id(), Trigger.USER, "crash test");
            System.out.println("ready");
            System.out.flush();
            for (int i = 0; ; i++) {
                if (i % 3 == 2) {
                    releases.rollback(Optional.empty(), Trigger.USER, "crash test");
                } else {
                    releases.activate(i % 2 == 0 ? b.id() : a.id(), Trigger.USER, "crash test");
                }
            }
        }
    }
}

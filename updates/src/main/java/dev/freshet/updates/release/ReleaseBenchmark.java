package dev.freshet.updates.release;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Measures the store's side of a release on a real SQLite file: storing a release of N rules,
 * activating it, and rolling back (a pointer change). Prints figures; asserts nothing.
 * <p>Run: {@code java -cp ... dev.freshet.updates.release.ReleaseBenchmark [dataDir] [rules] [rollbacks]}
 */
public final class ReleaseBenchmark {
    /** The measured figures; rollback percentiles over all rounds. */
    public record Figures(int rules, Duration create, Duration activate, Duration rollbackP50, Duration rollbackP99,
                          Duration rollbackMax, int rollbacks) {
        @Override
        public String toString() {
            return "release of %d rules: stored in %.1f ms, activated in %.2f ms; %d rollbacks: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                    .formatted(rules, ms(create), ms(activate), rollbacks, ms(rollbackP50), ms(rollbackP99), ms(rollbackMax));
        }

        private static double ms(Duration d) {
            return d.toNanos() / 1e6;
        }
    }

    private ReleaseBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("freshet-bench");
        int rules = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int rounds = Math.max(1, args.length > 2 ? Integer.parseInt(args[2]) : 200);
        System.out.println(run(dataDir, rules, rounds));
    }

    /** Stores two releases of {@code ruleCount} rules (one rule differs), then rolls back and forth. */
    public static Figures run(Path dataDir, int ruleCount, int rounds) {
        try (Database database = Database.open(dataDir)) {
            ReleaseStore store = new ReleaseStore(database);
            String salt = Long.toString(System.nanoTime()); // fresh content on a reused data directory
            List<AcceptedRule> rules = new ArrayList<>();
            for (int i = 0; i < ruleCount; i++) {
                rules.add(rule("bench-" + i, "eval($X" + i + ") # " + salt));
            }
            Release first = store.create(rules, report(rules));
            store.activate(first.id(), Trigger.USER, "benchmark baseline");
            rules.set(0, rule("bench-0", "exec($X) # " + salt));

            long started = System.nanoTime();
            Release second = store.create(rules, report(rules));
            Duration create = Duration.ofNanos(System.nanoTime() - started);
            started = System.nanoTime();
            store.activate(second.id(), Trigger.USER, "benchmark");
            Duration activate = Duration.ofNanos(System.nanoTime() - started);

            long[] nanos = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                started = System.nanoTime();
                store.rollback(Optional.empty(), Trigger.AUTOMATIC, "benchmark round " + i);
                nanos[i] = System.nanoTime() - started;
            }
            Arrays.sort(nanos);
            return new Figures(ruleCount, create, activate, Duration.ofNanos(nanos[rounds / 2]),
                    Duration.ofNanos(nanos[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)]),
                    Duration.ofNanos(nanos[rounds - 1]), rounds);
        }
    }

    private static AcceptedRule rule(String id, String pattern) {
        String yaml = "rules:\n- id: " + id + "\n  message: benchmark rule\n  severity: WARNING\n"
                + "  languages: [python]\n  pattern: '" + pattern + "'\n";
        return new AcceptedRule(id, "bench", "rules/" + id + ".yaml", yaml, Hashes.sha256(yaml));
    }

    private static GateReport report(List<AcceptedRule> rules) {
        return new GateReport(rules.stream()
                .map(r -> new Verdict(r.id(), r.source(), r.path(), Verdict.Outcome.ACCEPTED, "passed")).toList());
    }
}

package dev.freshet.updates.cluster;

import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import dev.freshet.updates.store.SharedWrites;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How long an activation made on one node takes to reach another node's engine, two nodes on one
 * embedded PostgreSQL, by notices alone (B polls once an hour). Each figure runs from the
 * activation call on node A to node B's engine running on the release, so it includes A's commit
 * and B's compile of the release. By hand, not a unit test:
 * <pre>
 * ./build -q -o -pl updates -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp updates/target/test-classes:updates/target/classes:$(cat updates/target/test.cp) \
 *     dev.freshet.updates.cluster.PropagationBenchmark [activations=20] [rules=50]
 * </pre>
 */
public final class PropagationBenchmark {
    /**
     * Per-activation figures in milliseconds from the activation call: A's commit, the notice's arrival
     * at a bare listening session, and B's engine running on the release (which adds B's reading and
     * compiling of it).
     */
    record Figures(int rules, double[] commitMillis, double[] noticeMillis, double[] propagationMillis) {
        double p50() {
            return percentile(propagationMillis, 0.5);
        }

        double max() {
            return Arrays.stream(propagationMillis).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return "activation propagation A -> B over %d activations and rollbacks of %d-rule releases (PostgreSQL LISTEN/NOTIFY): "
                    .formatted(propagationMillis.length, rules)
                    + "p50 %.1f ms, p90 %.1f ms, max %.1f ms; of which commit on A p50 %.1f ms, notice arrived p50 %.1f ms max %.1f ms"
                    .formatted(p50(), percentile(propagationMillis, 0.9), max(), percentile(commitMillis, 0.5),
                            percentile(noticeMillis, 0.5), Arrays.stream(noticeMillis).max().orElse(Double.NaN));
        }
    }

    public static void main(String[] args) throws Exception {
        int activations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rules = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        System.out.println(run(TestStores.freshPostgres(), activations, rules));
        System.exit(0); // the embedded server stops in a shutdown hook
    }

    static Figures run(StoreLocation location, int activations, int rules) throws InterruptedException, SQLException {
        try (Node a = Node.start(location, Duration.ofHours(1)); Node b = Node.start(location, Duration.ofHours(1));
             Connection probe = b.database().openSessionConnection("freshet-benchmark-probe")) {
            try (Statement statement = probe.createStatement()) {
                statement.execute("LISTEN " + SharedWrites.KNOWLEDGE_CHANNEL);
            }
            PGConnection notices = probe.unwrap(PGConnection.class);
            // A only writes here: on one machine its own recompiles would take CPU from B, which on
            // separate machines they do not.
            a.follower().close();
            awaitListening(b);
            List<Double> commits = new ArrayList<>();
            List<Double> arrivals = new ArrayList<>();
            List<Double> propagations = new ArrayList<>();
            String live = null;
            String before = null;
            for (int i = 0; i < activations + 1; i++) { // the first one warms up B's compiler
                // As updates go: every release changes one rule of the last; every fourth step is a rollback.
                boolean rollback = i % 4 == 3;
                String next = rollback ? before : update(a, rules, i).id();
                long start = System.nanoTime();
                if (rollback) {
                    a.releases().rollback(Optional.empty(), Trigger.USER, "benchmark");
                } else {
                    a.releases().activate(next, Trigger.USER, "benchmark");
                }
                before = live;
                live = next;
                long committed = System.nanoTime();
                PGNotification[] received = notices.getNotifications(30_000);
                long noticed = System.nanoTime();
                if (received == null || received.length == 0) {
                    throw new IllegalStateException("no notice of activation " + i + " within 30 s");
                }
                if (b.awaitRelease(next, Duration.ofSeconds(30)) < 0) {
                    throw new IllegalStateException("node B did not get release " + next + " within 30 s");
                }
                long onB = System.nanoTime();
                if (i > 0) {
                    commits.add((committed - start) / 1e6);
                    arrivals.add((noticed - start) / 1e6);
                    propagations.add((onB - start) / 1e6);
                }
            }
            return new Figures(rules, array(commits), array(arrivals), array(propagations));
        }
    }

    /** The {@code n}th release: {@code rules} rules of which the first differs from every other release's. */
    private static Release update(Node node, int rules, int n) {
        List<AcceptedRule> content = new ArrayList<>(Node.rules("rule", rules));
        content.set(0, Node.rule("rule-0", "changed" + n + "(...)"));
        return node.releases().create(content, new GateReport(List.of()));
    }

    static void awaitListening(Node node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!node.follower().listening()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node never started listening");
            }
            Thread.sleep(5);
        }
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(d -> d).toArray();
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
}

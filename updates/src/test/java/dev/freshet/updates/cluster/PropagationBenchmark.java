package dev.freshet.updates.cluster;

import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How long an activation made on one node takes to reach another node's engine, two nodes on one
 * embedded PostgreSQL, by notices alone (the nodes poll once an hour). Each figure runs from the
 * activation call on node A to node B's engine running on the release, so it includes A's commit
 * and B's compile of the release. By hand, not a unit test:
 * <pre>
 * ./build -q -o -pl updates -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp -Dmdep.includeScope=test
 * java -cp updates/target/test-classes:updates/target/classes:$(cat updates/target/test.cp) \
 *     dev.freshet.updates.cluster.PropagationBenchmark [activations=20] [rules=50]
 * </pre>
 */
public final class PropagationBenchmark {
    /** Per-activation figures in milliseconds: A's commit and the propagation to B's engine. */
    record Figures(int rules, double[] commitMillis, double[] propagationMillis) {
        double p50() {
            return percentile(propagationMillis, 0.5);
        }

        double max() {
            return Arrays.stream(propagationMillis).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return "activation propagation A -> B over %d activations of %d-rule releases (PostgreSQL LISTEN/NOTIFY): "
                    .formatted(propagationMillis.length, rules)
                    + "p50 %.1f ms, p90 %.1f ms, max %.1f ms; commit on A p50 %.1f ms"
                    .formatted(p50(), percentile(propagationMillis, 0.9), max(), percentile(commitMillis, 0.5));
        }
    }

    public static void main(String[] args) throws Exception {
        int activations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rules = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        System.out.println(run(TestStores.freshPostgres(), activations, rules));
        System.exit(0); // the embedded server stops in a shutdown hook
    }

    static Figures run(StoreLocation location, int activations, int rules) throws InterruptedException {
        try (Node a = Node.start(location, Duration.ofHours(1)); Node b = Node.start(location, Duration.ofHours(1))) {
            awaitListening(b);
            List<Release> releases = List.of(a.releases().create(Node.rules("even", rules), new GateReport(List.of())),
                    a.releases().create(Node.rules("odd", rules), new GateReport(List.of())));
            List<Double> commits = new ArrayList<>();
            List<Double> propagations = new ArrayList<>();
            for (int i = 0; i < activations + 1; i++) { // the first one warms up both nodes' compilers
                Release next = releases.get(i % 2);
                long start = System.nanoTime();
                if (i % 4 == 3) {
                    a.releases().rollback(Optional.empty(), Trigger.USER, "benchmark");
                } else {
                    a.releases().activate(next.id(), Trigger.USER, "benchmark");
                }
                long committed = System.nanoTime();
                long waited = b.awaitRelease(next.id(), Duration.ofSeconds(30));
                if (waited < 0) {
                    throw new IllegalStateException("node B did not get release " + next.id() + " within 30 s");
                }
                if (i > 0) {
                    commits.add((committed - start) / 1e6);
                    propagations.add((committed - start + waited) / 1e6);
                }
            }
            return new Figures(rules, commits.stream().mapToDouble(d -> d).toArray(), propagations.stream().mapToDouble(d -> d).toArray());
        }
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

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(p * sorted.length) - 1];
    }
}

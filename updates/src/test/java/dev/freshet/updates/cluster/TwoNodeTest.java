package dev.freshet.updates.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one store, each with its own connections and engine snapshot. Node B polls once an
 * hour, so on PostgreSQL only a notice can bring it a change within these tests' time limits.
 */
@ExtendWith(TestStores.DropAfterEach.class)
class TwoNodeTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration GENEROUS = Duration.ofSeconds(15);

    @Test
    void activationsRollbacksAndOverridesOnOneNodeReachTheOtherByNotice() throws Exception {
        StoreLocation.Postgres location = TestStores.freshPostgres();
        try (Node a = Node.start(location, NEVER); Node b = Node.start(location, NEVER)) {
            PropagationBenchmark.awaitListening(b);
            Release one = a.releases().create(Node.rules("one", 3), new GateReport(List.of()));
            Release two = a.releases().create(Node.rules("two", 5), new GateReport(List.of()));

            long start = System.nanoTime();
            a.releases().activate(one.id(), Trigger.USER, "first");
            long waited = b.awaitRelease(one.id(), GENEROUS);
            assertThat(waited).as("node B runs the release node A activated").isNotNegative();
            System.out.printf("activation on node A reached node B's engine in %.1f ms%n", (System.nanoTime() - start) / 1e6);

            a.releases().activate(two.id(), Trigger.SCHEDULE, "update");
            assertThat(b.awaitRelease(two.id(), GENEROUS)).isNotNegative();
            assertThat(b.knowledge().holder().current().rules()).hasSize(5);

            a.releases().rollback(Optional.empty(), Trigger.AUTOMATIC, "errors");
            assertThat(b.awaitRelease(one.id(), GENEROUS)).as("the rollback reached B").isNotNegative();

            a.overrides().add("one-0", new OverrideChange.Disable());
            long deadline = System.nanoTime() + GENEROUS.toNanos();
            while (b.knowledge().holder().current().rules().size() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(b.knowledge().holder().current().rules()).as("the override reached B").hasSize(2);
            assertThat(b.follower().notices()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void aLostSessionIsReopenedAndCatchesUpOnWhatItMissed() throws Exception {
        StoreLocation.Postgres location = TestStores.freshPostgres();
        try (Node a = Node.start(location, NEVER); Node b = Node.start(location, NEVER)) {
            PropagationBenchmark.awaitListening(b);
            Release one = a.releases().create(Node.rules("one", 2), new GateReport(List.of()));

            // The server ends every listening session (as a restart or a network cut would), then A activates.
            TestStores.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + KnowledgeFollower.SESSION_NAME + "'");
            a.releases().activate(one.id(), Trigger.USER, "while B was not listening");

            assertThat(b.awaitRelease(one.id(), GENEROUS)).isNotNegative();
            PropagationBenchmark.awaitListening(b);
            Release two = a.releases().create(Node.rules("two", 2), new GateReport(List.of()));
            a.releases().activate(two.id(), Trigger.USER, "after B listens again");
            assertThat(b.awaitRelease(two.id(), GENEROUS)).as("notices arrive again").isNotNegative();
        }
    }

    @Test
    void onSqlitePollingCarriesTheChange(@TempDir Path tmp) throws Exception {
        StoreLocation location = new StoreLocation.SqliteFile(tmp);
        try (Node a = Node.start(location, NEVER); Node b = Node.start(location, Duration.ofMillis(50))) {
            Release one = a.releases().create(Node.rules("one", 2), new GateReport(List.of()));
            a.releases().activate(one.id(), Trigger.USER, "first");

            assertThat(b.awaitRelease(one.id(), GENEROUS)).isNotNegative();
            assertThat(b.follower().listening()).isFalse();
            assertThat(b.follower().notices()).isZero();
        }
    }

    @Test
    void twoNodesActivatingAtOnceKeepOneUnbrokenHistory() throws Exception {
        StoreLocation.Postgres location = TestStores.freshPostgres();
        try (Node a = Node.start(location, NEVER); Node b = Node.start(location, NEVER)) {
            Release one = a.releases().create(Node.rules("one", 2), new GateReport(List.of()));
            Release two = b.releases().create(Node.rules("two", 2), new GateReport(List.of()));
            assertThat(b.releases().create(Node.rules("one", 2), new GateReport(List.of()))).as("same content, same release")
                    .isEqualTo(one);
            a.releases().activate(one.id(), Trigger.USER, "start");
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                writers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < 25; i++) {
                            node.releases().activate(two.id(), Trigger.SCHEDULE, "swap");
                            node.releases().rollback(Optional.of(one.id()), Trigger.AUTOMATIC, "swap back");
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread writer : writers) {
                writer.join();
            }

            assertThat(failures).isEmpty();
            List<Activation> history = a.releases().history();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).seq()).isEqualTo(i + 1);
                assertThat(history.get(i).previousReleaseId()).isEqualTo(history.get(i - 1).releaseId());
            }
            assertThat(history.size()).as("each write appended a row or was a no-op").isBetween(51, 101);
            assertThat(b.releases().active()).contains(one);
            assertThat(b.awaitRelease(one.id(), GENEROUS)).isNotNegative();
        }
    }

    @Test
    void theBenchmarkMeasuresEveryActivation() throws Exception {
        PropagationBenchmark.Figures figures = PropagationBenchmark.run(TestStores.freshPostgres(), 4, 3);

        assertThat(figures.propagationMillis()).hasSize(4);
        assertThat(java.util.Arrays.stream(figures.propagationMillis()).min().orElseThrow()).isPositive();
        assertThat(figures.toString()).contains("over 4 activations and rollbacks of 3-rule releases").contains("p50");
    }
}

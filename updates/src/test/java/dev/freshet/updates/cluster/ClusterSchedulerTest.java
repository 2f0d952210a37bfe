package dev.freshet.updates.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two nodes' schedulers on one PostgreSQL database run a recurring job once per due time between them. */
@ExtendWith(TestStores.DropAfterEach.class)
class ClusterSchedulerTest {
    private static final String JOB = "cluster-tick";

    /** One execution: which node ran it, and for which due time (the task row's, read while it runs). */
    record Run(String node, Instant due) {
    }

    @Test
    void aRecurringJobRunsOncePerDueTimeAcrossTheCluster() throws Exception {
        StoreLocation.Postgres location = TestStores.freshPostgres();
        ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
        try (Database first = Database.open(location); Database second = Database.open(location);
             CheckScheduler one = scheduler("node-1", first, runs); CheckScheduler two = scheduler("node-2", second, runs)) {
            one.start();
            two.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (runs.size() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        assertThat(runs).hasSizeGreaterThanOrEqualTo(6);
        assertThat(runs).extracting(Run::due).as("no due time ran twice").doesNotHaveDuplicates();
        Map<String, Long> byNode = runs.stream().collect(Collectors.groupingBy(Run::node, Collectors.counting()));
        System.out.println("recurring job, every second, two schedulers: " + runs.size() + " runs, by node " + byNode);
    }

    private static CheckScheduler scheduler(String node, Database database, ConcurrentLinkedQueue<Run> runs) {
        Runnable work = () -> {
            Instant due = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT execution_time FROM scheduled_tasks WHERE task_name = :job")
                    .bind("job", JOB).map((rs, ctx) -> rs.getTimestamp(1).toInstant()).one());
            runs.add(new Run(node, due));
        };
        return new CheckScheduler(database.dataSource(), List.of(new CheckScheduler.Job(JOB, "* * * * * *", work)),
                Duration.ofMillis(100));
    }
}

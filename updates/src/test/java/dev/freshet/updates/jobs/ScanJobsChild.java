package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A node that claims a scan and then hangs in it until it is killed, for the crash test:
 * {@code ScanJobsChild DATA_DIR WORK_DIR PROJECT}. Prints the job id once it is queued.
 */
public final class ScanJobsChild {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Database database = Database.open(Path.of(args[0]));
        ScanJobs jobs = new ScanJobs(database, new KnowledgeHolder(JobFixtures.knowledge()), JobFixtures.runner(id -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), Path.of(args[1]), Clock.systemUTC(), new ScanJobs.Options(1, 10, 1 << 20, 8 << 20, 100, Duration.ofSeconds(1)));
        System.out.println(jobs.submitPath("acme", Path.of(args[2])).id());
        System.out.flush();
        jobs.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.updates.store.Database;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Submits N small scan jobs (a two-file project, one code finding and one vulnerable dependency
 * each) to a real SQLite store as fast as one client can, first with the workers idle (then they
 * drain the queue), then while they scan. Prints submissions per second, scans per second and
 * drain times. The first phase includes the engine's warm-up. By hand,
 * not a unit test: {@code java -cp ... dev.freshet.updates.jobs.ScanJobsBenchmark [jobs] [workers] [archive share 0..1]}.
 */
public final class ScanJobsBenchmark {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        double archiveShare = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
        Path tmp = Files.createTempDirectory("freshet-jobs-bench");
        Path project = JobFixtures.project(tmp.resolve("shop"));
        byte[] zip = JobFixtures.zip(JobFixtures.projectFiles());
        ScanJobs.Options options = new ScanJobs.Options(workers, 2 * count, 1 << 20, 8 << 20, 1000, Duration.ofSeconds(30));
        try (Database database = Database.open(tmp.resolve("data"));
             ScanJobs jobs = new ScanJobs(database, new KnowledgeHolder(JobFixtures.knowledge()), JobFixtures.runner(),
                     tmp.resolve("work"), Clock.systemUTC(), options)) {
            Submitter submit = new Submitter(jobs, project, zip, archiveShare);
            // Burst: everything is queued before the workers start, then the queue is worked off.
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                submit.job(i);
            }
            long t1 = System.nanoTime();
            jobs.start();
            awaitDrained(database);
            long t2 = System.nanoTime();
            // Sustained: one client submits as fast as it can while the workers scan.
            for (int i = 0; i < count; i++) {
                submit.job(i);
            }
            long t3 = System.nanoTime();
            int depthAtLastSubmit = jobs.queueDepth();
            awaitDrained(database);
            long t4 = System.nanoTime();

            int notDone = database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM scan_jobs WHERE state <> 'DONE'").mapTo(Integer.class).one());
            System.out.printf(Locale.ROOT, "%d jobs per phase (%d archive uploads), %d worker(s), SQLite store; not DONE: %d%n",
                    count, submit.archives / 2, workers, notDone);
            System.out.printf(Locale.ROOT, "burst:     %.0f submissions/s with workers idle; the %d queued jobs drained in %.2f s (%.1f scans/s)%n",
                    count / seconds(t0, t1), count, seconds(t1, t2), count / seconds(t1, t2));
            System.out.printf(Locale.ROOT, "sustained: %.0f submissions/s while scanning; queue depth %d at the last one, drained %.2f s later;"
                            + " %.1f scans/s end to end%n",
                    count / seconds(t2, t3), depthAtLastSubmit, seconds(t3, t4), count / seconds(t2, t4));
        } finally {
            Archives.deleteTree(tmp);
        }
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    /** Submits path jobs, every so often an archive upload instead. */
    private static final class Submitter {
        final ScanJobs jobs;
        final Path project;
        final byte[] zip;
        final long archiveEvery;
        int archives;

        Submitter(ScanJobs jobs, Path project, byte[] zip, double archiveShare) {
            this.jobs = jobs;
            this.project = project;
            this.zip = zip;
            this.archiveEvery = archiveShare <= 0 ? 0 : Math.round(1 / archiveShare);
        }

        void job(int i) throws ArchiveException {
            if (archiveEvery > 0 && i % archiveEvery == 0) {
                jobs.submitArchive("bench", new ByteArrayInputStream(zip), "shop.zip");
                archives++;
            } else {
                jobs.submitPath("bench", project);
            }
        }
    }

    /** Until no job is waiting or running. */
    private static void awaitDrained(Database database) throws InterruptedException {
        while (database.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM scan_jobs WHERE state IN ('QUEUED', 'RUNNING')").mapTo(Integer.class).one()) > 0) {
            Thread.sleep(5);
        }
    }
}

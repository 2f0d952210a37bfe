package dev.freshet.updates.jobs;

import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.jobs.ScanJob.State;
import dev.freshet.updates.store.Database;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

/** The queue on a real SQLite store with the real engine. */
@org.junit.jupiter.api.extension.ExtendWith(TestStores.DropAfterEach.class)
class ScanJobsTest {
    private static final Knowledge KNOWLEDGE = JobFixtures.knowledge();
    private static final ScanJobs.Options OPTIONS = new ScanJobs.Options(2, 1000, 1 << 20, 8 << 20, 1000, Duration.ofSeconds(30));

    @TempDir
    Path tmp;
    private Path project;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void createProject() throws Exception {
        project = JobFixtures.project(tmp.resolve("shop"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Database database() {
        Database database = Database.open(tmp.resolve("data"));
        open.add(database);
        return database;
    }

    private Database database(String store) {
        if (store.equals("sqlite")) {
            return database();
        }
        Database database = Database.open(TestStores.freshPostgres());
        open.add(database);
        return database;
    }

    private ScanJobs jobs(Database database, ScanJobs.Options options) {
        return jobs(database, options, JobFixtures.runner());
    }

    private ScanJobs jobs(Database database, ScanJobs.Options options, ScanRunner runner) {
        ScanJobs jobs = new ScanJobs(database, new KnowledgeHolder(KNOWLEDGE), runner, tmp.resolve("work"), Clock.systemUTC(), options);
        open.add(jobs);
        return jobs;
    }

    /** Waits (up to a minute: this is a deadline, not a speed check) for the job to reach {@code state}. */
    private static ScanJob await(ScanJobs jobs, String tenant, String id, State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            ScanJob job = jobs.find(tenant, id).orElseThrow();
            if (job.state() == state) {
                return job;
            }
            assertThat(job.state().finished()).as("job %s ended %s (%s), expected %s", id, job.state(), job.error(), state)
                    .isFalse();
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " never reached " + state + ": " + jobs.find(tenant, id));
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Scratch directories (unpacked uploads, trial extractions) left in the work directory. */
    private long scratchEntries() throws Exception {
        try (var files = Files.list(tmp.resolve("work"))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> !name.equals("uploads") && !name.equals("store-id")).count();
        }
    }

    private long uploadFiles() throws Exception {
        try (var files = Files.list(tmp.resolve("work/uploads"))) {
            return files.count();
        }
    }

    @Test
    void finishedJobsOlderThanTheCutoffArePurgedWithTheirReportsAndUploads() throws Exception {
        Database database = database();
        ScanJobs jobs = jobs(database, OPTIONS);
        jobs.start();
        ScanJob old = await(jobs, "acme", jobs.submitPath("acme", project).id(), State.DONE);
        ScanJob uploaded = await(jobs, "acme", jobs.submitArchive("acme",
                new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip").id(), State.DONE);
        java.time.Instant cutoff = uploaded.finishedAt().plusMillis(1);
        jobs.close();
        // A job queued (not finished) before the cutoff stays, whatever its age.
        ScanJobs stopped = jobs(database, OPTIONS);
        ScanJob waiting = stopped.submitPath("acme", project);

        assertThat(stopped.purgeFinishedBefore(old.finishedAt())).as("nothing finished before the first").isZero();
        assertThat(stopped.purgeFinishedBefore(cutoff)).isEqualTo(2);
        assertThat(stopped.find("acme", old.id())).isEmpty();
        assertThat(stopped.result("acme", uploaded.id(), ReportFormat.JSON)).isEmpty();
        assertThat(stopped.find("acme", waiting.id()).orElseThrow().state()).isEqualTo(State.QUEUED);
        int left = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM scan_job_report_chunks WHERE job_id IN (<ids>)")
                .bindList("ids", List.of(old.id(), uploaded.id())).mapTo(Integer.class).one());
        assertThat(left).as("report chunks").isZero();
        assertThat(uploadFiles()).isZero();
    }

    @Test
    void aPathJobScansCodeAndDependenciesWithOneSnapshotAndKeepsBothReports() throws Exception {
        ScanJobs jobs = jobs(database(), OPTIONS);
        List<ScanJob> heard = new CopyOnWriteArrayList<>();
        jobs.onFinished(heard::add);
        jobs.start();

        ScanJob queued = jobs.submitPath("acme", project);
        assertThat(queued.state()).isEqualTo(State.QUEUED);
        assertThat(queued.source()).isEqualTo(project.toRealPath().toString());
        ScanJob done = await(jobs, "acme", queued.id(), State.DONE);

        assertThat(done.releaseId()).isEqualTo("rel-1");
        assertThat(done.findings()).isEqualTo(1);
        assertThat(done.vulnerableDependencies()).isEqualTo(1);
        assertThat(done.startedAt()).isAfterOrEqualTo(done.submittedAt());
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(done.error()).isNull();
        String json = jobs.result("acme", done.id(), ReportFormat.JSON).orElseThrow();
        assertThat(json).contains("\"rule_id\" : \"python-eval\"", "\"path\" : \"src/app.py\"",
                "\"package\" : \"lodash\"", "GHSA-jf85-cpcp-j695");
        String sarif = jobs.result("acme", done.id(), ReportFormat.SARIF).orElseThrow();
        assertThat(sarif).contains("\"version\" : \"2.1.0\"", "python-eval", "src/app.py");
        assertThatThrownBy(() -> jobs.result("acme", done.id(), ReportFormat.TEXT))
                .hasMessage("scan results are kept as json and sarif, not text");
        awaitCondition("the listener heard the job", () -> !heard.isEmpty());
        assertThat(heard).singleElement().isEqualTo(done);
        assertThat(jobs.queueDepth()).isZero();
    }

    @Test
    void anArchiveJobIsUnpackedScannedAndCleanedUp() throws Exception {
        Database database = database();
        ScanJobs jobs = jobs(database, OPTIONS);
        jobs.start();
        ScanJob zip = jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip");
        ScanJob tgz = jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.tarGz(JobFixtures.projectFiles())), "shop.tgz");
        for (ScanJob job : List.of(zip, tgz)) {
            ScanJob done = await(jobs, "acme", job.id(), State.DONE);
            assertThat(done.findings()).isEqualTo(1);
            assertThat(done.vulnerableDependencies()).isEqualTo(1);
            assertThat(jobs.result("acme", job.id(), ReportFormat.JSON).orElseThrow())
                    .as("paths relative to the archive, not the server's work directory")
                    .contains("\"path\" : \"shop/src/app.py\"").doesNotContain(tmp.toString());
        }
        assertThat(zip.source()).isEqualTo("shop.zip");
        assertThat(scratchEntries()).as("unpacked trees removed before the job is seen to end").isZero();
        // The upload goes once the job's end is recorded (a node that lost its claim leaves it to the taker), so just after.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (uploadFiles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(uploadFiles()).as("uploads removed once done").isZero();
    }

    @Test
    void aHostileArchiveIsRefusedAtSubmissionAndNothingIsStored() throws Exception {
        Database database = database();
        ScanJobs jobs = jobs(database, OPTIONS);
        byte[] traversal = JobFixtures.zip(Map.of("../../evil.py", "eval(x)"));
        assertThatThrownBy(() -> jobs.submitArchive("acme", new ByteArrayInputStream(traversal), "evil.zip"))
                .isInstanceOf(ArchiveException.class)
                .hasMessageContaining("archive 'evil.zip' entry '../../evil.py' contains '..' (path traversal)");
        byte[] big = new byte[(1 << 20) + 1];
        assertThatThrownBy(() -> jobs.submitArchive("acme", new ByteArrayInputStream(big), "big.tar.gz"))
                .hasMessageContaining("larger than the limit");
        assertThat(jobs.list("acme", 10)).isEmpty();
        assertThat(scratchEntries()).isZero();
        assertThat(uploadFiles()).isZero();
    }

    @Test
    void pathsAreCheckedWhenSubmitted() throws Exception {
        ScanJobs jobs = jobs(database(), OPTIONS.withPathRoots(List.of(tmp.resolve("allowed"))));
        Files.createDirectories(tmp.resolve("allowed"));
        assertThatThrownBy(() -> jobs.submitPath("acme", Path.of("relative/dir")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("path to scan must be absolute: relative/dir");
        Path missing = tmp.resolve("allowed/missing");
        assertThatThrownBy(() -> jobs.submitPath("acme", missing))
                .hasMessage("cannot scan " + missing + ": no such file or directory");
        assertThatThrownBy(() -> jobs.submitPath("acme", project))
                .hasMessage("path '" + project + "' is outside the directories this server may read");
        assertThatThrownBy(() -> jobs.submitPath("acme", Path.of("/no/such/dir")))
                .as("outside the roots, existence is not revealed").hasMessageContaining("outside the directories");
        assertThatThrownBy(() -> jobs.submitPath("acme", tmp.resolve("allowed/../shop")))
                .hasMessageContaining("outside the directories");
        Files.createSymbolicLink(tmp.resolve("allowed/escape"), project);
        assertThatThrownBy(() -> jobs.submitPath("acme", tmp.resolve("allowed/escape")))
                .as("a link inside the root to a place outside it").hasMessageContaining("outside the directories");
        assertThatThrownBy(() -> jobs.submitPath(" ", project)).hasMessage("a scan job needs a tenant");
        assertThat(jobs.queueDepth()).isZero();
    }

    @Test
    void aPathGoneBeforeTheScanFailsTheJobWithAClearError() throws Exception {
        ScanJobs jobs = jobs(database(), OPTIONS);
        Path doomed = JobFixtures.project(tmp.resolve("doomed"));
        ScanJob job = jobs.submitPath("acme", doomed);
        Path real = doomed.toRealPath();
        Archives.deleteTree(doomed);
        jobs.start();
        ScanJob failed = await(jobs, "acme", job.id(), State.FAILED);
        assertThat(failed.error()).isEqualTo("cannot scan " + real + ": it no longer exists");
        assertThat(jobs.result("acme", job.id(), ReportFormat.JSON)).isEmpty();
    }

    @Test
    void oneTenantNeverSeesAnothersJobs() throws Exception {
        ScanJobs jobs = jobs(database(), OPTIONS);
        jobs.start();
        ScanJob mine = jobs.submitPath("acme", project);
        await(jobs, "acme", mine.id(), State.DONE);

        assertThat(jobs.find("globex", mine.id())).isEmpty();
        assertThat(jobs.list("globex", 100)).isEmpty();
        assertThat(jobs.result("globex", mine.id(), ReportFormat.JSON)).isEmpty();
        assertThat(jobs.result("globex", mine.id(), ReportFormat.SARIF)).isEmpty();
        assertThat(jobs.list("acme", 100)).extracting(ScanJob::id).containsExactly(mine.id());
        assertThat(jobs.result("acme", mine.id(), ReportFormat.JSON)).isPresent();
    }

    @Test
    void submissionsBeyondTheQueueBoundAreRefused() throws Exception {
        ScanJobs jobs = jobs(database(), new ScanJobs.Options(1, 2, 1 << 20, 8 << 20, 100, Duration.ofSeconds(30)));
        jobs.submitPath("acme", project);
        jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip");
        assertThatThrownBy(() -> jobs.submitPath("globex", project))
                .isInstanceOf(QueueFullException.class)
                .hasMessage("the scan queue is full (2 jobs waiting); try again later");
        assertThat(jobs.queueDepth()).isEqualTo(2);
        assertThat(jobs.list("globex", 10)).isEmpty();
    }

    @Test
    void aRestartLosesNoAcceptedJob() throws Exception {
        Database first = Database.open(tmp.resolve("data"));
        ScanJobs before = new ScanJobs(first, new KnowledgeHolder(KNOWLEDGE), JobFixtures.runner(), tmp.resolve("work"),
                Clock.systemUTC(), OPTIONS);
        ScanJob path = before.submitPath("acme", project);
        ScanJob upload = before.submitArchive("acme",
                new ByteArrayInputStream(JobFixtures.tarGz(JobFixtures.projectFiles())), "shop.tar.gz");
        before.close(); // never started: nothing ran
        first.close();

        ScanJobs after = jobs(database(), OPTIONS);
        assertThat(after.queueDepth()).isEqualTo(2);
        after.start();
        assertThat(await(after, "acme", path.id(), State.DONE).findings()).isEqualTo(1);
        assertThat(await(after, "acme", upload.id(), State.DONE).vulnerableDependencies()).isEqualTo(1);
    }

    @Test
    void aJobOfADeadNodeIsQueuedAgainWhenItsLeaseExpires() throws Exception {
        Database database = database();
        ScanJobs jobs = jobs(database, new ScanJobs.Options(1, 100, 1 << 20, 8 << 20, 100, Duration.ofMillis(300)));
        ScanJob orphan = jobs.submitPath("acme", project);
        ScanJob poison = jobs.submitPath("acme", project);
        long past = System.currentTimeMillis() - 1000;
        // What a node that died mid-scan leaves behind: RUNNING, its claim, a lease nobody renews.
        database.jdbi().useHandle(h -> {
            h.createUpdate("UPDATE scan_jobs SET state = 'RUNNING', owner = 'dead-node/1', lease_until = :past, attempts = 1,"
                    + " started_at = :past WHERE id = :id").bind("past", past).bind("id", orphan.id()).execute();
            h.createUpdate("UPDATE scan_jobs SET state = 'RUNNING', owner = 'dead-node/2', lease_until = :past, attempts = :max,"
                    + " started_at = :past WHERE id = :id").bind("past", past).bind("max", ScanJobs.MAX_ATTEMPTS)
                    .bind("id", poison.id()).execute();
        });
        jobs.start();

        ScanJob done = await(jobs, "acme", orphan.id(), State.DONE);
        assertThat(done.findings()).isEqualTo(1);
        assertThat(attempts(database, orphan.id())).isEqualTo(2);
        ScanJob givenUp = await(jobs, "acme", poison.id(), State.FAILED);
        assertThat(givenUp.error()).startsWith("given up after 3 attempts");
    }

    @Test
    void aScanOfAKilledProcessIsRunAgainAfterItsLeaseExpires() throws Exception {
        Path data = tmp.resolve("data");
        Database.open(data).close(); // migrated once, before two processes share it
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ScanJobsChild.class.getName(), data.toString(), tmp.resolve("work").toString(), project.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String id = new java.io.BufferedReader(new InputStreamReader(child.getInputStream())).readLine();
            assertThat(id).as("the child queued a job").isNotNull();
            Database database = database();
            ScanJobs survivor = jobs(database, OPTIONS);
            await(survivor, "acme", id, State.RUNNING);
            child.destroyForcibly().waitFor(); // kill -9 in the middle of the scan

            survivor.start();
            ScanJob done = await(survivor, "acme", id, State.DONE);
            assertThat(done.findings()).isEqualTo(1);
            assertThat(attempts(database, id)).as("the killed attempt, then ours").isEqualTo(2);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aRenewedLeaseKeepsALongScanWithItsNode() throws Exception {
        Database database = database();
        ScanJobs.Options shortLease = new ScanJobs.Options(1, 100, 1 << 20, 8 << 20, 100, Duration.ofSeconds(1));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        ScanJobs slow = jobs(database, shortLease, JobFixtures.runner(id -> {
            runs.incrementAndGet();
            started.countDown();
            sleep(3000); // three leases long
        }));
        ScanJobs other = jobs(database(), shortLease, JobFixtures.runner(id -> runs.incrementAndGet()));
        ScanJob job = slow.submitPath("acme", project);
        slow.start();
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        other.start(); // would take the job over if the lease were not renewed

        await(slow, "acme", job.id(), State.DONE);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(attempts(database, job.id())).isEqualTo(1);
    }

    @Test
    void twoInstancesOnOneStoreClaimEachJobExactlyOnce() throws Exception {
        claimsEachJobExactlyOnce(this::database);
    }

    @Test
    void twoNodesOnOnePostgresDatabaseClaimEachJobExactlyOnce() throws Exception {
        StoreLocation shared = TestStores.freshPostgres();
        claimsEachJobExactlyOnce(() -> {
            Database node = Database.open(shared);
            open.add(node);
            return node;
        });
    }

    /** 100 jobs, two instances with their own connections (as two processes or nodes would have). */
    private void claimsEachJobExactlyOnce(java.util.function.Supplier<Database> node) throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        Database firstStore = node.get();
        ScanJobs first = jobs(firstStore, OPTIONS, JobFixtures.runner(id -> {
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            ranOn.put(id, "first");
        }));
        ScanJobs second = jobs(node.get(), OPTIONS, JobFixtures.runner(id -> {
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            ranOn.put(id, "second");
        }));
        first.start();
        second.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add((i % 2 == 0 ? first : second).submitPath("acme", project).id());
        }
        for (String id : ids) {
            await(first, "acme", id, State.DONE);
        }
        assertThat(runs).hasSize(100);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(ranOn.values()).as("both instances worked").contains("first", "second");
        assertThat(count(firstStore, "SELECT count(*) FROM scan_jobs WHERE state = 'DONE' AND attempts = 1")).isEqualTo(100);
        assertThat(count(firstStore, "SELECT count(*) FROM scan_job_report_chunks")).as("one chunk per small report").isEqualTo(200);
    }

    @Test
    void closeDrainsRunningScansAndClaimsNothingNew() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScanJobs jobs = jobs(database(), new ScanJobs.Options(1, 100, 1 << 20, 8 << 20, 100, Duration.ofSeconds(30)),
                JobFixtures.runner(id -> {
                    started.countDown();
                    awaitUninterruptibly(release);
                }));
        ScanJob running = jobs.submitPath("acme", project);
        jobs.start();
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        ScanJob waiting = jobs.submitPath("acme", project);

        Thread closer = new Thread(jobs::close);
        closer.start();
        closer.join(300);
        assertThat(closer.isAlive()).as("close waits for the running scan").isTrue();
        release.countDown();
        closer.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(closer.isAlive()).isFalse();

        assertThat(jobs.find("acme", running.id()).orElseThrow().state()).isEqualTo(State.DONE);
        assertThat(jobs.find("acme", waiting.id()).orElseThrow().state()).as("not claimed while draining").isEqualTo(State.QUEUED);
    }

    @Test
    void aScanOutlastingTheDrainTimeoutIsHandedBackAndRunsAfterTheRestart() throws Exception {
        Database database = database();
        CountDownLatch started = new CountDownLatch(1);
        ScanJobs stuck = new ScanJobs(database, new KnowledgeHolder(KNOWLEDGE), JobFixtures.runner(id -> {
            started.countDown();
            sleep(TimeUnit.MINUTES.toMillis(10)); // until interrupted
        }), tmp.resolve("work"), Clock.systemUTC(), OPTIONS);
        ScanJob job = stuck.submitPath("acme", project);
        stuck.start();
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        stuck.close(Duration.ofMillis(200));

        ScanJob handedBack = stuck.find("acme", job.id()).orElseThrow();
        assertThat(handedBack.state()).isEqualTo(State.QUEUED);
        assertThat(attempts(database, job.id())).as("an interrupted attempt counts: a restart never resets attempts").isEqualTo(1);

        ScanJobs restarted = jobs(database, OPTIONS);
        restarted.start();
        assertThat(await(restarted, "acme", job.id(), State.DONE).findings()).isEqualTo(1);
    }

    @Test
    void aWorkerSurvivesAnOutOfMemoryErrorAndTheJobFailsForGoodAfterItsAttempts() throws Exception {
        Database database = database();
        Set<String> poisoned = ConcurrentHashMap.newKeySet();
        AtomicInteger crashes = new AtomicInteger();
        ScanJobs jobs = jobs(database, new ScanJobs.Options(1, 100, 1 << 20, 8 << 20, 100, Duration.ofSeconds(30)),
                JobFixtures.runner(id -> {
                    if (poisoned.contains(id)) {
                        crashes.incrementAndGet();
                        throw new OutOfMemoryError("Java heap space");
                    }
                }));
        ScanJob poison = jobs.submitPath("acme", project);
        poisoned.add(poison.id());
        jobs.start();

        ScanJob failed = await(jobs, "acme", poison.id(), State.FAILED);
        assertThat(failed.error()).startsWith("given up after 3 attempts: the scan ran out of memory (Java heap space)");
        assertThat(attempts(database, poison.id())).isEqualTo(ScanJobs.MAX_ATTEMPTS);
        assertThat(crashes.get()).isEqualTo(ScanJobs.MAX_ATTEMPTS);
        // The one worker is alive and the claim was freed: the next job runs.
        ScanJob next = await(jobs, "acme", jobs.submitPath("acme", project).id(), State.DONE);
        assertThat(next.findings()).isEqualTo(1);
        assertThat(count(database, "SELECT count(*) FROM scan_jobs WHERE state = 'RUNNING'")).isZero();
    }

    @Test
    void attemptsAreNeverResetByARestart() throws Exception {
        Database database = database();
        for (int restart = 1; restart <= ScanJobs.MAX_ATTEMPTS; restart++) {
            CountDownLatch started = new CountDownLatch(1);
            ScanJobs node = new ScanJobs(database, new KnowledgeHolder(KNOWLEDGE), JobFixtures.runner(id -> {
                started.countDown();
                sleep(TimeUnit.MINUTES.toMillis(10)); // a scan that outlasts every shutdown
            }), tmp.resolve("work"), Clock.systemUTC(), OPTIONS);
            if (restart == 1) {
                node.submitPath("acme", project);
            }
            node.start();
            assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
            node.close(Duration.ofMillis(100));
        }
        ScanJob given = jobs(database, OPTIONS).list("acme", 1).getFirst();
        assertThat(given.state()).isEqualTo(State.FAILED);
        assertThat(given.error()).isEqualTo("given up after 3 attempts: the server stopped while the scan ran, each time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void findingsBeyondTheLimitAreCutAndEveryReportSaysSo(String store) throws Exception {
        Database database = database(store);
        Path big = manyFindings(5000);
        ScanJobs jobs = jobs(database, OPTIONS, new EngineScanRunner(JobFixtures.scanner(), 1500));
        jobs.start();

        ScanJob done = await(jobs, "acme", jobs.submitPath("acme", big).id(), State.DONE);
        assertThat(done.findings()).isEqualTo(1500);
        String json = jobs.result("acme", done.id(), ReportFormat.JSON).orElseThrow();
        JsonNode report = new ObjectMapper().readTree(json);
        assertThat(report.get("truncated").asText()).startsWith("truncated after 1500 findings");
        assertThat(report.get("results")).hasSize(1500);
        String sarif = jobs.result("acme", done.id(), ReportFormat.SARIF).orElseThrow();
        assertThat(sarif).contains("truncated after 1500 findings");
        // More than one chunk each, read back whole and in order.
        assertThat(count(database, "SELECT count(*) FROM scan_job_report_chunks WHERE job_id = '" + done.id() + "'"))
                .isGreaterThan(2);
        assertThat(json.length()).isGreaterThan(ScanQueue.CHUNK_CHARS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void openReportDownloadsPinNoConnectionWhileAnotherTenantReads(String store) throws Exception {
        Database database = database(store);
        Path big = manyFindings(3000);
        ScanJobs jobs = jobs(database, OPTIONS);
        jobs.start();
        ScanJob done = await(jobs, "acme", jobs.submitPath("acme", big).id(), State.DONE);
        ScanJob other = await(jobs, "globex", jobs.submitPath("globex", project).id(), State.DONE);

        // Three times as many slow downloads as the pool has connections, each stalled after its first bytes.
        List<InputStream> downloads = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * Math.max(4, Database.POSTGRES_POOL_SIZE); i++) {
                InputStream in = jobs.report("acme", done.id(), i % 2 == 0 ? ReportFormat.JSON : ReportFormat.SARIF).orElseThrow();
                open.add(in);
                downloads.add(in);
                assertThat(in.read()).isEqualTo('{');
            }
            long started = System.nanoTime();
            assertThat(jobs.find("globex", other.id())).isPresent();
            assertThat(jobs.result("globex", other.id(), ReportFormat.JSON).orElseThrow()).contains("python-eval");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for a pooled connection (the pool times out after 10 s)")
                    .isLessThan(Duration.ofMillis(Database.BUSY_TIMEOUT_MS));
            String rest = new String(downloads.getFirst().readAllBytes(), StandardCharsets.UTF_8);
            assertThat("{" + rest).isEqualTo(jobs.result("acme", done.id(), ReportFormat.JSON).orElseThrow());
        } finally {
            for (InputStream in : downloads) {
                in.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void oneTenantCannotFillTheQueue(String store) throws Exception {
        Database database = database(store);
        ScanJobs jobs = jobs(database, OPTIONS.withMaxPerTenant(2));
        jobs.submitPath("acme", project);
        jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip");
        assertThatThrownBy(() -> jobs.submitPath("acme", project))
                .isInstanceOf(QueueFullException.class)
                .hasMessage("tenant 'acme' has 2 scans queued or running, its limit; try again when one has finished")
                .satisfies(e -> assertThat(((QueueFullException) e).tenantQuota()).isTrue());
        assertThatThrownBy(() -> jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())),
                "again.zip")).isInstanceOf(QueueFullException.class);
        assertThat(uploadFiles()).as("the refused upload is not kept").isEqualTo(1);
        assertThat(jobs.submitPath("globex", project).state()).as("another tenant still gets in").isEqualTo(State.QUEUED);

        jobs.start();
        for (ScanJob job : jobs.list("acme", 10)) {
            await(jobs, "acme", job.id(), State.DONE);
        }
        assertThat(jobs.submitPath("acme", project).state()).as("room again once its scans finished").isEqualTo(State.QUEUED);
        assertThat(uploadFiles()).isZero();
    }

    @Test
    void anUploadIsClaimedOnlyByNodesThatShareItsDirectory() throws Exception {
        StoreLocation shared = TestStores.freshPostgres();
        Database first = Database.open(shared);
        open.add(first);
        Database second = Database.open(shared);
        open.add(second);
        ScanJobs taker = jobs(first, OPTIONS);
        ScanJobs elsewhere = new ScanJobs(second, new KnowledgeHolder(KNOWLEDGE), JobFixtures.runner(), tmp.resolve("other-work"),
                Clock.systemUTC(), OPTIONS);
        open.add(elsewhere);
        ScanJob upload = taker.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip");
        ScanJob path = taker.submitPath("acme", project);
        elsewhere.start();

        await(elsewhere, "acme", path.id(), State.DONE);
        Thread.sleep(1000); // two polls of the other node's idle workers
        assertThat(elsewhere.find("acme", upload.id()).orElseThrow().state()).as("its file is not there").isEqualTo(State.QUEUED);
        taker.start();
        assertThat(await(taker, "acme", upload.id(), State.DONE).findings()).isEqualTo(1);
    }

    @Test
    void uploadsWaitAsOwnerOnlyFilesNotInTheStore() throws Exception {
        Database database = database();
        ScanJobs jobs = jobs(database, OPTIONS);
        ScanJob job = jobs.submitArchive("acme", new ByteArrayInputStream(JobFixtures.zip(JobFixtures.projectFiles())), "shop.zip");
        Path file = tmp.resolve("work/uploads/" + job.id() + ".upload");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("work/uploads"))))
                .isEqualTo("rwx------");
        assertThat(count(database, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%upload%'")).as("no upload table").isZero();
        jobs.start();
        await(jobs, "acme", job.id(), State.DONE);
        assertThat(file).doesNotExist();
    }

    @Test
    void aDirectorySwappedForALinkOutOfTheRootWhileQueuedIsNotScanned() throws Exception {
        Path allowed = Files.createDirectories(tmp.resolve("allowed"));
        Path app = JobFixtures.project(allowed.resolve("app"));
        ScanJobs jobs = jobs(database(), OPTIONS.withPathRoots(List.of(allowed)));
        ScanJob job = jobs.submitPath("acme", app);
        Archives.deleteTree(app);
        Files.createSymbolicLink(app, project); // outside the root, with findings to leak
        jobs.start();

        ScanJob failed = await(jobs, "acme", job.id(), State.FAILED);
        assertThat(failed.error()).isEqualTo("cannot scan " + allowed.toRealPath().resolve("app") + ": it has been replaced by "
                + "a link since the scan was queued, and scans do not follow links out of the directories this server may read");
        assertThat(jobs.result("acme", job.id(), ReportFormat.JSON)).isEmpty();
    }

    @Test
    void aStoreOfThePreviousVersionKeepsItsReportsAndFailsUploadsItCannotMove() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        SQLiteDataSource old = new SQLiteDataSource();
        old.setUrl("jdbc:sqlite:" + data.resolve(Database.FILE_NAME));
        Flyway.configure().dataSource(old).locations("classpath:db/migration").target("8").load().migrate();
        Jdbi.create(old).useHandle(h -> {
            h.execute("INSERT INTO scan_jobs (id, tenant, state, source_kind, source, submitted_at, finished_at, attempts, findings,"
                    + " vulnerable_dependencies) VALUES ('done', 'acme', 'DONE', 'PATH', '/srv/app', 1, 2, 1, 1, 0)");
            h.execute("INSERT INTO scan_job_reports (job_id, format, content) VALUES ('done', 'json', '{\"results\": []}')");
            h.execute("INSERT INTO scan_jobs (id, tenant, state, source_kind, source, submitted_at, attempts, findings,"
                    + " vulnerable_dependencies) VALUES ('waiting', 'acme', 'QUEUED', 'UPLOAD', 'shop.zip', 3, 0, 0, 0)");
            h.execute("INSERT INTO scan_job_uploads (job_id, content) VALUES ('waiting', X'504b0304')");
        });

        ScanJobs jobs = jobs(database(), OPTIONS);
        assertThat(jobs.result("acme", "done", ReportFormat.JSON)).hasValue("{\"results\": []}");
        ScanJob upload = jobs.find("acme", "waiting").orElseThrow();
        assertThat(upload.state()).isEqualTo(State.FAILED);
        assertThat(upload.error()).isEqualTo("uploaded before an upgrade that moved uploads out of the store; upload the archive again");
    }

    @Test
    void theWalkNeverFollowsALinkOutOfTheScannedTree() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("secret.py"), "eval(secret)\n");
        Files.createSymbolicLink(project.resolve("src/linked.py"), outside);
        Files.createSymbolicLink(project.resolve("linked-dir"), outside.getParent());
        ScanJobs jobs = jobs(database(), OPTIONS);
        jobs.start();
        ScanJob done = await(jobs, "acme", jobs.submitPath("acme", project).id(), State.DONE);
        assertThat(done.findings()).as("only src/app.py's eval").isEqualTo(1);
        assertThat(jobs.result("acme", done.id(), ReportFormat.JSON).orElseThrow()).doesNotContain("secret");
    }

    @Test
    void everyPathOutsideTheRootsGetsTheSameAnswer() throws Exception {
        Path allowed = Files.createDirectories(tmp.resolve("allowed"));
        Files.createSymbolicLink(allowed.resolve("out"), tmp);
        ScanJobs jobs = jobs(database(), OPTIONS.withPathRoots(List.of(allowed)));
        for (Path outside : List.of(project, tmp.resolve("missing"), Path.of("/no/such/dir"), allowed.resolve("out/shop"),
                allowed.resolve("out/missing"), allowed.resolve("../shop"))) {
            assertThatThrownBy(() -> jobs.submitPath("acme", outside)).as(outside.toString())
                    .isInstanceOf(ReadRoots.Outside.class)
                    .hasMessage("path '" + outside + "' is outside the directories this server may read");
        }
        assertThatThrownBy(() -> jobs.submitPath("acme", allowed.resolve("missing")))
                .hasMessage("cannot scan " + allowed.resolve("missing") + ": no such file or directory");
    }

    /** A project with one file of {@code evals} eval calls: as many findings, and a report of about 200 bytes each. */
    private Path manyFindings(int evals) throws Exception {
        Path big = Files.createDirectories(tmp.resolve("big"));
        Files.writeString(big.resolve("many.py"), "def run(x):\n" + "    eval(x)\n".repeat(evals));
        return big;
    }

    private static int count(Database database, String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    private static int attempts(Database database, String id) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT attempts FROM scan_jobs WHERE id = :id")
                .bind("id", id).mapTo(Integer.class).one());
    }

    /** Sleeps; an interrupt ends the scan the way an interrupted engine scan does. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        }
    }
}

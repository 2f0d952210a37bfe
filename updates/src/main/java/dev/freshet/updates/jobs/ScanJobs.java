package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.engine.report.RuleInfo;
import dev.freshet.engine.scan.DependencyScan;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans as jobs in a persistent queue (table {@code scan_jobs}) worked off by a bounded pool.
 * An accepted job is in the store before the submitter hears of it, so a restart loses none.
 * A worker claims a job with a conditional UPDATE ({@code WHERE state = 'QUEUED'}, one row or
 * none), which makes claims exactly-once across threads, processes and nodes sharing the
 * database, on SQLite and PostgreSQL alike. The claim is a lease the worker renews while it
 * scans; a job whose lease ran out (its node died) is queued again, and given up after
 * {@value #MAX_ATTEMPTS} such attempts. Every write that ends a job checks the claim, so a worker
 * that lost its lease cannot overwrite the result of the one that took over.
 */
public final class ScanJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScanJobs.class);
    static final int MAX_ATTEMPTS = 3;
    /** How often idle workers look for jobs submitted through other nodes. */
    private static final long POLL_MILLIS = 500;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LIST = 1000;

    /**
     * @param workers           scans run at once on this node
     * @param maxQueued         jobs that may wait in the queue (all nodes); more are refused
     * @param maxUploadBytes    largest archive upload
     * @param maxExtractedBytes most bytes an upload may expand to
     * @param maxEntries        most entries in an upload
     * @param lease             how long a claim lasts without renewal; renewed every third of it (at most 2 s)
     * @param pathRoots         directories path submissions must lie in (after resolving links); empty: any readable path
     */
    public record Options(int workers, int maxQueued, long maxUploadBytes, long maxExtractedBytes, int maxEntries,
                          Duration lease, List<Path> pathRoots) {
        public Options {
            if (workers < 1 || maxQueued < 1) {
                throw new IllegalArgumentException("workers and maxQueued must be at least 1: " + workers + ", " + maxQueued);
            }
            if (lease.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("the lease must be at least 300 ms: " + lease);
            }
            pathRoots = pathRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        }

        public Options(int workers, int maxQueued, long maxUploadBytes, long maxExtractedBytes, int maxEntries, Duration lease) {
            this(workers, maxQueued, maxUploadBytes, maxExtractedBytes, maxEntries, lease, List.of());
        }

        /** 2 workers, 1000 waiting jobs, 64 MiB uploads expanding to at most 512 MiB in 20,000 entries, 30 s lease. */
        public static Options defaults() {
            return new Options(2, 1000, 64L << 20, 512L << 20, 20_000, Duration.ofSeconds(30));
        }

        public Options withPathRoots(List<Path> roots) {
            return new Options(workers, maxQueued, maxUploadBytes, maxExtractedBytes, maxEntries, lease, roots);
        }

        Archives.Limits archiveLimits() {
            return new Archives.Limits(maxUploadBytes, maxExtractedBytes, maxEntries, 200);
        }
    }

    private enum SourceKind {
        PATH, UPLOAD
    }

    /** A job this node holds: {@code owner} is the claim's token, checked by every write that ends it. */
    private record Claim(String id, String owner, SourceKind kind, String source) {
    }

    private final Jdbi jdbi;
    private final KnowledgeHolder knowledge;
    private final Scanner scanner;
    private final Path workDir;
    private final Clock clock;
    private final Options options;
    private final Archives archives;
    private final String node;
    private final String toolVersion;
    /** {@link Options#pathRoots()} as given and with links resolved, so either spelling of a path matches. */
    private final List<Path> pathRoots;
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final List<Consumer<ScanJob>> listeners = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private long wakeups; // guarded by signal
    private volatile boolean stopping;
    private ExecutorService workers;
    private ScheduledExecutorService leases;
    /** Test hook: runs in the worker after the claim, before the scan. */
    private volatile Consumer<String> beforeScan = id -> { };

    /** @param workDir where uploads are unpacked while they are scanned; created if missing */
    public ScanJobs(Database database, KnowledgeHolder knowledge, Scanner scanner, Path workDir, Clock clock, Options options) {
        this.jdbi = database.jdbi();
        this.knowledge = knowledge;
        this.scanner = scanner;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.clock = clock;
        this.options = options;
        this.archives = new Archives(options.archiveLimits());
        this.node = hostName() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.toolVersion = toolVersion();
        this.pathRoots = options.pathRoots().stream().flatMap(root -> {
            try {
                return java.util.stream.Stream.of(root, root.toRealPath());
            } catch (IOException e) {
                return java.util.stream.Stream.of(root);
            }
        }).distinct().toList();
        try {
            OwnerOnly.createDirectories(this.workDir); // what is unpacked below it is then the owner's alone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scan work directory " + this.workDir, e);
        }
    }

    /**
     * Queues a scan of a file or directory this server can read.
     *
     * @throws IllegalArgumentException naming the path when it is not absolute, missing, unreadable or outside the allowed roots
     * @throws QueueFullException       when {@link Options#maxQueued()} jobs are already waiting
     */
    public ScanJob submitPath(String tenant, Path path) {
        checkTenant(tenant);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path to scan must be absolute: " + path);
        }
        // Roots first, so a tenant learns nothing about what exists outside them.
        checkInRoots(path, path.normalize());
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("cannot scan " + path + ": no such file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("cannot scan " + path + ": it is not readable by the server");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot scan " + path + ": " + e.getMessage(), e);
        }
        checkInRoots(path, real); // a link inside a root may point out of it
        return insert(tenant, SourceKind.PATH, real.toString(), null);
    }

    private void checkInRoots(Path given, Path resolved) {
        if (!pathRoots.isEmpty() && pathRoots.stream().noneMatch(resolved::startsWith)) {
            throw new IllegalArgumentException("cannot scan " + given + ": only paths under " + options.pathRoots() + " may be scanned");
        }
    }

    /**
     * Queues a scan of an uploaded .zip, .tar.gz or .tgz archive. The archive is unpacked once here,
     * so a hostile or broken one is refused now rather than failing later, and kept in the store until
     * its job ends: whichever node claims the job unpacks it again.
     *
     * @throws ArchiveException   naming the upload and the problem; nothing is stored
     * @throws QueueFullException when {@link Options#maxQueued()} jobs are already waiting
     */
    public ScanJob submitArchive(String tenant, InputStream archive, String fileName) throws ArchiveException {
        checkTenant(tenant);
        byte[] bytes = archives.read(archive, fileName);
        Path trial = workDir.resolve("check-" + UUID.randomUUID());
        archives.extract(bytes, fileName, trial);
        Archives.deleteTree(trial);
        return insert(tenant, SourceKind.UPLOAD, fileName, bytes);
    }

    private ScanJob insert(String tenant, SourceKind kind, String source, byte[] upload) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        boolean accepted = jdbi.inTransaction(h -> {
            // One statement checks the bound and inserts, so racing submitters cannot overshoot it on SQLite.
            int inserted = h.createUpdate("""
                            INSERT INTO scan_jobs (id, tenant, state, source_kind, source, submitted_at, attempts,
                                                   findings, vulnerable_dependencies)
                            SELECT :id, :tenant, 'QUEUED', :kind, :source, :now, 0, 0, 0
                            WHERE (SELECT count(*) FROM scan_jobs WHERE state = 'QUEUED') < :max""")
                    .bind("id", id).bind("tenant", tenant).bind("kind", kind.name()).bind("source", source)
                    .bind("now", now).bind("max", options.maxQueued()).execute();
            if (inserted == 1 && upload != null) {
                h.createUpdate("INSERT INTO scan_job_uploads (job_id, content) VALUES (:id, :content)")
                        .bind("id", id).bind("content", upload).execute();
            }
            return inserted == 1;
        });
        if (!accepted) {
            throw new QueueFullException(options.maxQueued());
        }
        LOG.info("scan job {} queued for tenant {}: {} {}", id, tenant, kind.name().toLowerCase(java.util.Locale.ROOT), source);
        wakeWorkers();
        return new ScanJob(id, tenant, ScanJob.State.QUEUED, source, Instant.ofEpochMilli(now), null, null, null, 0, 0, null);
    }

    /** The job, if it exists and belongs to {@code tenant}: another tenant's job is not found. */
    public Optional<ScanJob> find(String tenant, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scan_jobs WHERE id = :id AND tenant = :tenant")
                .bind("id", id).bind("tenant", tenant).map((rs, ctx) -> job(rs)).findOne());
    }

    /** The tenant's newest jobs first, at most {@code limit} (capped at 1000). */
    public List<ScanJob> list(String tenant, int limit) {
        int bounded = Math.max(1, Math.min(limit, MAX_LIST));
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM scan_jobs WHERE tenant = :tenant ORDER BY submitted_at DESC, id LIMIT :limit")
                .bind("tenant", tenant).bind("limit", bounded).map((rs, ctx) -> job(rs)).list());
    }

    /**
     * The report of a DONE job of {@code tenant}; empty while it is not done or not the tenant's.
     *
     * @throws IllegalArgumentException for formats other than JSON and SARIF
     */
    public Optional<String> result(String tenant, String id, ReportFormat format) {
        if (format != ReportFormat.JSON && format != ReportFormat.SARIF) {
            throw new IllegalArgumentException("scan results are kept as json and sarif, not " + format.id());
        }
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT r.content FROM scan_job_reports r JOIN scan_jobs j ON j.id = r.job_id
                        WHERE j.id = :id AND j.tenant = :tenant AND j.state = 'DONE' AND r.format = :format""")
                .bind("id", id).bind("tenant", tenant).bind("format", format.id()).mapTo(String.class).findOne());
    }

    /**
     * Deletes the jobs that finished (DONE or FAILED) before {@code cutoff}, with their reports and
     * uploads, in one transaction; queued and running jobs are never touched.
     *
     * @return how many jobs were deleted
     */
    public int purgeFinishedBefore(Instant cutoff) {
        String finished = "SELECT id FROM scan_jobs WHERE state IN ('DONE', 'FAILED') AND finished_at < :cutoff";
        return jdbi.inTransaction(h -> {
            // Explicit deletes: SQLite does not cascade unless foreign keys are switched on.
            h.createUpdate("DELETE FROM scan_job_reports WHERE job_id IN (" + finished + ")").bind("cutoff", cutoff.toEpochMilli()).execute();
            h.createUpdate("DELETE FROM scan_job_uploads WHERE job_id IN (" + finished + ")").bind("cutoff", cutoff.toEpochMilli()).execute();
            return h.createUpdate("DELETE FROM scan_jobs WHERE id IN (" + finished + ")").bind("cutoff", cutoff.toEpochMilli()).execute();
        });
    }

    /** Jobs waiting to be claimed, on every node. */
    public int queueDepth() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM scan_jobs WHERE state = 'QUEUED'")
                .mapTo(Integer.class).one());
    }

    /** Hears every job this node finishes (DONE or FAILED), on the worker's thread; for metrics. */
    public void onFinished(Consumer<ScanJob> listener) {
        listeners.add(listener);
    }

    /** Starts the workers and the lease keeper; jobs left by a dead node are taken up once their lease expires. */
    public synchronized void start() {
        if (workers != null) {
            throw new IllegalStateException("scan jobs already started");
        }
        stopping = false;
        AtomicInteger count = new AtomicInteger();
        workers = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread thread = new Thread(r, "freshet-scan-job-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < options.workers(); i++) {
            workers.execute(this::work);
        }
        leases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "freshet-scan-leases");
            thread.setDaemon(true);
            return thread;
        });
        // Renewing often is cheap (a few rows); a short period also spots other nodes' expired leases soon.
        long period = Math.clamp(options.lease().toMillis() / 3, 50, 2000);
        leases.scheduleWithFixedDelay(this::keepLeases, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("scan jobs started on node {} with {} worker(s)", node, options.workers());
    }

    /** Stops claiming and lets running scans finish for up to 30 seconds; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(DRAIN_TIMEOUT);
    }

    /**
     * Stops claiming jobs and waits up to {@code timeout} for running scans to finish. Scans still
     * running then are interrupted and handed back to the queue, so another node or the next start
     * runs them. The database is the caller's to close.
     */
    public synchronized void close(Duration timeout) {
        if (workers == null) {
            return;
        }
        stopping = true;
        wakeWorkers();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("scan jobs still running after {}; handing them back to the queue: {}", timeout, running.keySet());
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        leases.shutdownNow();
        running.forEach(this::handBack);
        workers = null;
        leases = null;
        LOG.info("scan jobs stopped on node {}", node);
    }

    /** Test hook: {@code hook} runs in the worker with the job id after the claim, before the scan. */
    void beforeScan(Consumer<String> hook) {
        beforeScan = hook;
    }

    /** This node's name in claims. */
    String node() {
        return node;
    }

    private void work() {
        while (!stopping) {
            long seen;
            synchronized (signal) {
                seen = wakeups;
            }
            try {
                Optional<Claim> claim = claimNext();
                if (claim.isPresent()) {
                    run(claim.get());
                    continue;
                }
            } catch (RuntimeException e) { // the store being unreachable must not kill the worker
                LOG.error("scan worker on node {}: {}", node, e.toString(), e);
            }
            synchronized (signal) {
                try {
                    if (!stopping && wakeups == seen) {
                        signal.wait(POLL_MILLIS);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void wakeWorkers() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }

    /** Claims the oldest waiting job no other worker claims first; one connection for the lot. */
    private Optional<Claim> claimNext() {
        return jdbi.withHandle(h -> {
            List<Claim> candidates = h.createQuery("""
                            SELECT id, source_kind, source FROM scan_jobs WHERE state = 'QUEUED'
                            ORDER BY submitted_at, id LIMIT 8""")
                    .map((rs, ctx) -> new Claim(rs.getString("id"), null, SourceKind.valueOf(rs.getString("source_kind")),
                            rs.getString("source"))).list();
            for (Claim candidate : candidates) {
                if (stopping) {
                    break;
                }
                String owner = node + "/" + UUID.randomUUID().toString().substring(0, 8);
                long now = clock.millis();
                int claimed = h.createUpdate("""
                                UPDATE scan_jobs SET state = 'RUNNING', owner = :owner, lease_until = :lease, started_at = :now,
                                                     attempts = attempts + 1
                                WHERE id = :id AND state = 'QUEUED'""")
                        .bind("owner", owner).bind("lease", now + options.lease().toMillis()).bind("now", now)
                        .bind("id", candidate.id()).execute();
                if (claimed == 1) {
                    return Optional.of(new Claim(candidate.id(), owner, candidate.kind(), candidate.source()));
                }
            }
            return Optional.<Claim>empty();
        });
    }

    private void run(Claim claim) {
        running.put(claim.id(), claim.owner());
        Path unpacked = claim.kind() == SourceKind.UPLOAD
                ? workDir.resolve("job-" + claim.id() + "-" + UUID.randomUUID().toString().substring(0, 8)) : null;
        String releaseId = null;
        Scanned scanned = null;
        Exception failure = null;
        try {
            Knowledge snapshot = knowledge.current(); // one snapshot for the whole scan
            releaseId = snapshot.releaseId();
            LOG.info("scan job {} started on node {} with release {}", claim.id(), node, releaseId);
            beforeScan.accept(claim.id());
            Path root;
            if (unpacked != null) {
                byte[] upload = jdbi.withHandle(h -> h.createQuery("SELECT content FROM scan_job_uploads WHERE job_id = :id")
                        .bind("id", claim.id()).mapTo(byte[].class).findOne())
                        .orElseThrow(() -> new IllegalStateException("the upload of scan job " + claim.id() + " is missing"));
                root = archives.extract(upload, claim.source(), unpacked).root();
            } else {
                root = Path.of(claim.source());
                if (!Files.exists(root)) {
                    throw new NoLongerThere(root);
                }
            }
            scanned = scan(snapshot, root);
        } catch (Exception e) {
            failure = e;
        } finally {
            if (unpacked != null) { // before the job is seen to end
                try {
                    Archives.deleteTree(unpacked);
                } catch (UncheckedIOException e) {
                    LOG.warn("scan job {}: cannot remove {}: {}", claim.id(), unpacked, e.getMessage());
                }
            }
        }
        try {
            if (failure == null) {
                finishDone(claim, releaseId, scanned);
            } else if (stopping && Thread.interrupted()) {
                handBack(claim.id(), claim.owner()); // close() ran out of patience: the next start runs it
            } else {
                finishFailed(claim, releaseId, failure(claim, failure));
            }
        } finally {
            running.remove(claim.id());
        }
    }

    /** The message a tenant sees for a failed job; only internal errors are logged with their stack. */
    private String failure(Claim claim, Exception e) {
        return switch (e) {
            case ArchiveException archive -> archive.getMessage();
            case NoLongerThere gone -> gone.getMessage();
            case IOException io -> "cannot read " + claim.source() + ": " + io.getMessage();
            case UncheckedIOException io -> "cannot read " + claim.source() + ": " + io.getCause().getMessage();
            default -> {
                LOG.error("scan job {} failed on node {}", claim.id(), node, e);
                yield "internal error; the server log has the details of job " + claim.id(); // no server internals to tenants
            }
        };
    }

    private static final class NoLongerThere extends RuntimeException {
        NoLongerThere(Path path) {
            super("cannot scan " + path + ": it no longer exists");
        }
    }

    private record Scanned(String json, String sarif, int findings, int vulnerableDependencies) {
    }

    /** Code rules and dependencies, as {@code freshet scan} does it; reports show paths relative to the root. */
    private Scanned scan(Knowledge snapshot, Path root) throws IOException {
        Path base = Files.isDirectory(root) ? root : root.getParent();
        SourceFiles.Selection selection = new SourceFiles().collect(List.of(root));
        ScanResult result = DependencyScan.scan(scanner, snapshot.rules(), selection.files(), base,
                DependencyScan.pinned(List.of(root)), n -> { });
        List<RuleInfo> rules = snapshot.rules().stream().filter(r -> !r.isDependencyRule()).map(RuleInfo::of).toList();
        return new Scanned(report(ReportFormat.JSON, result, rules, base), report(ReportFormat.SARIF, result, rules, base),
                result.findings().size(), result.dependencies().size());
    }

    private String report(ReportFormat format, ScanResult result, List<RuleInfo> rules, Path base) throws IOException {
        StringWriter out = new StringWriter();
        format.writer(toolVersion).write(result, rules, base, out);
        return out.toString();
    }

    private void finishDone(Claim claim, String releaseId, Scanned scanned) {
        running.remove(claim.id()); // no renewals from here: the write below ends the claim either way
        long now = clock.millis();
        boolean ours = jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'DONE', finished_at = :now, release_id = :release, findings = :findings,
                                                 vulnerable_dependencies = :dependencies, owner = NULL, lease_until = NULL
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("now", now).bind("release", releaseId).bind("findings", scanned.findings())
                    .bind("dependencies", scanned.vulnerableDependencies()).bind("id", claim.id())
                    .bind("owner", claim.owner()).execute();
            if (updated == 0) {
                return false;
            }
            insertReport(h, claim.id(), ReportFormat.JSON, scanned.json());
            insertReport(h, claim.id(), ReportFormat.SARIF, scanned.sarif());
            h.createUpdate("DELETE FROM scan_job_uploads WHERE job_id = :id").bind("id", claim.id()).execute();
            return true;
        });
        finished(claim, ours, "done: " + scanned.findings() + " finding(s), "
                + scanned.vulnerableDependencies() + " vulnerable dependenc(ies)");
    }

    private static void insertReport(Handle h, String id, ReportFormat format, String content) {
        h.createUpdate("INSERT INTO scan_job_reports (job_id, format, content) VALUES (:id, :format, :content)")
                .bind("id", id).bind("format", format.id()).bind("content", content).execute();
    }

    private void finishFailed(Claim claim, String releaseId, String error) {
        running.remove(claim.id());
        long now = clock.millis();
        boolean ours = jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'FAILED', finished_at = :now, release_id = :release, error = :error,
                                                 owner = NULL, lease_until = NULL
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("now", now).bind("release", releaseId).bind("error", error).bind("id", claim.id())
                    .bind("owner", claim.owner()).execute();
            if (updated == 1) {
                h.createUpdate("DELETE FROM scan_job_uploads WHERE job_id = :id").bind("id", claim.id()).execute();
            }
            return updated == 1;
        });
        finished(claim, ours, "failed: " + error);
    }

    private void finished(Claim claim, boolean ours, String outcome) {
        if (!ours) {
            LOG.warn("scan job {}: node {} lost its claim before finishing; its result is dropped", claim.id(), node);
            return;
        }
        LOG.info("scan job {} {}", claim.id(), outcome);
        if (!listeners.isEmpty()) {
            jdbi.withHandle(h -> h.createQuery("SELECT * FROM scan_jobs WHERE id = :id").bind("id", claim.id())
                    .map((rs, ctx) -> job(rs)).findOne()).ifPresent(job -> listeners.forEach(l -> {
                        try {
                            l.accept(job);
                        } catch (RuntimeException e) {
                            LOG.warn("scan job listener failed: {}", e.toString());
                        }
                    }));
        }
    }

    /** Puts a job this node still holds back in the queue; the interrupted attempt does not count. */
    private void handBack(String id, String owner) {
        try {
            int updated = jdbi.withHandle(h -> h.createUpdate("""
                            UPDATE scan_jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, started_at = NULL,
                                                 attempts = attempts - 1
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("id", id).bind("owner", owner).execute());
            if (updated == 1) {
                LOG.info("scan job {} handed back to the queue by node {}", id, node);
            }
        } catch (RuntimeException e) {
            LOG.warn("scan job {}: cannot hand it back ({}); it is queued again when its lease expires", id, e.toString());
        }
    }

    /** Renews this node's leases, then requeues (or, after too many attempts, fails) jobs whose lease expired. */
    private void keepLeases() {
        try {
            long now = clock.millis();
            long until = now + options.lease().toMillis();
            running.forEach((id, owner) -> {
                int renewed = jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE scan_jobs SET lease_until = :until WHERE id = :id AND owner = :owner AND state = 'RUNNING'")
                        .bind("until", until).bind("id", id).bind("owner", owner).execute());
                if (renewed == 0 && owner.equals(running.get(id))) { // not just finished in the meantime
                    LOG.warn("scan job {}: node {} could not renew its lease; another node may take the job over", id, node);
                }
            });
            int[] changed = jdbi.inTransaction(h -> new int[] {
                    h.createUpdate("""
                                    UPDATE scan_jobs SET state = 'FAILED', finished_at = :now, owner = NULL, lease_until = NULL,
                                                         error = :error
                                    WHERE state = 'RUNNING' AND lease_until < :now AND attempts >= :max""")
                            .bind("now", now).bind("max", MAX_ATTEMPTS)
                            .bind("error", "given up after " + MAX_ATTEMPTS + " attempts: the node running it stopped "
                                    + "renewing its lease each time (did the scan crash the process?)").execute(),
                    h.createUpdate("""
                                    UPDATE scan_jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL
                                    WHERE state = 'RUNNING' AND lease_until < :now""")
                            .bind("now", now).execute()});
            if (changed[0] > 0 || changed[1] > 0) {
                LOG.warn("scan jobs with an expired lease: {} queued again, {} given up", changed[1], changed[0]);
                wakeWorkers();
            }
        } catch (RuntimeException e) {
            LOG.error("scan job leases on node {}: {}", node, e.toString(), e);
        }
    }

    private static ScanJob job(ResultSet rs) throws SQLException {
        return new ScanJob(rs.getString("id"), rs.getString("tenant"), ScanJob.State.valueOf(rs.getString("state")),
                rs.getString("source"), instant(rs, "submitted_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getString("release_id"), rs.getInt("findings"), rs.getInt("vulnerable_dependencies"), rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void checkTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a scan job needs a tenant");
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node";
        }
    }

    /** Freshet's version for the reports, from the launcher's jar when it is on the class path. */
    private static String toolVersion() {
        try (InputStream in = ScanJobs.class.getResourceAsStream("/freshet-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

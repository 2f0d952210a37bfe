package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.rollout.Cohorts;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans as jobs in a persistent queue worked off by a bounded pool: submissions are checked here
 * (paths against the read roots, archives unpacked once on trial), then kept by the {@link ScanQueue}
 * in the store, run by {@link ScanWorkers} through a {@link ScanRunner}. An accepted job is in the
 * store before the submitter hears of it, so a restart loses none. Uploads wait as owner-only files
 * under the work directory (never as blobs in the store) and are removed when their job ends or is
 * refused; only workers sharing that directory claim them.
 */
public final class ScanJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScanJobs.class);
    static final int MAX_ATTEMPTS = ScanQueue.MAX_ATTEMPTS;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final String UPLOAD_SUFFIX = ".upload";

    /**
     * @param workers           scans run at once on this node
     * @param maxQueued         jobs that may wait in the queue (all nodes); more are refused
     * @param maxPerTenant      jobs one tenant may have queued or running (all nodes); more are refused
     * @param maxUploadBytes    largest archive upload
     * @param maxExtractedBytes most bytes an upload may expand to
     * @param maxEntries        most entries in an upload
     * @param lease             how long a claim lasts without renewal; renewed every third of it (at most 2 s)
     * @param pathRoots         directories path submissions must lie in (after resolving links); empty: any readable path
     */
    public record Options(int workers, int maxQueued, int maxPerTenant, long maxUploadBytes, long maxExtractedBytes, int maxEntries,
                          Duration lease, List<Path> pathRoots) {
        public static final int DEFAULT_MAX_PER_TENANT = 100;

        public Options {
            if (workers < 1 || maxQueued < 1 || maxPerTenant < 1) {
                throw new IllegalArgumentException("workers, maxQueued and maxPerTenant must be at least 1: "
                        + workers + ", " + maxQueued + ", " + maxPerTenant);
            }
            if (lease.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("the lease must be at least 300 ms: " + lease);
            }
            pathRoots = List.copyOf(pathRoots);
        }

        /** Without a tenant quota of its own (the queue bound applies) and without path roots. */
        public Options(int workers, int maxQueued, long maxUploadBytes, long maxExtractedBytes, int maxEntries, Duration lease) {
            this(workers, maxQueued, maxQueued, maxUploadBytes, maxExtractedBytes, maxEntries, lease, List.of());
        }

        /** 2 workers, 1000 waiting jobs, 100 per tenant, 64 MiB uploads expanding to at most 512 MiB in 20,000 entries, 30 s lease. */
        public static Options defaults() {
            return new Options(2, 1000, DEFAULT_MAX_PER_TENANT, 64L << 20, 512L << 20, 20_000, Duration.ofSeconds(30), List.of());
        }

        public Options withPathRoots(List<Path> roots) {
            return new Options(workers, maxQueued, maxPerTenant, maxUploadBytes, maxExtractedBytes, maxEntries, lease, roots);
        }

        public Options withMaxPerTenant(int perTenant) {
            return new Options(workers, maxQueued, perTenant, maxUploadBytes, maxExtractedBytes, maxEntries, lease, pathRoots);
        }

        Archives.Limits archiveLimits() {
            return new Archives.Limits(maxUploadBytes, maxExtractedBytes, maxEntries, 200);
        }
    }

    private final ScanQueue queue;
    private final ScanWorkers workers;
    private final Path workDir;
    private final Path uploads;
    private final Options options;
    private final ReadRoots roots;
    private final Archives archives;

    /**
     * @param runner  scans a job's tree and writes its reports ({@link EngineScanRunner} in production)
     * @param workDir where uploads wait and are unpacked while they are scanned; created owner-only if missing
     */
    public ScanJobs(Database database, KnowledgeHolder knowledge, ScanRunner runner, Path workDir, Clock clock, Options options) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.uploads = this.workDir.resolve("uploads");
        this.options = options;
        this.roots = new ReadRoots(options.pathRoots());
        this.archives = new Archives(options.archiveLimits());
        String node = hostName() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            OwnerOnly.createDirectories(this.workDir); // what is unpacked below it is then the owner's alone
            OwnerOnly.createDirectories(uploads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scan work directory " + this.workDir, e);
        }
        this.queue = new ScanQueue(database.jdbi(), clock, options.lease());
        this.workers = new ScanWorkers(queue, knowledge, runner, new Inputs(), this.workDir, options.workers(), options.lease(),
                node, uploadStore(this.workDir));
    }

    /**
     * Queues a scan of a file or directory this server can read.
     *
     * @throws IllegalArgumentException naming the path when it is not absolute, outside the allowed roots (the same
     *                                  answer for every such path), missing or unreadable
     * @throws QueueFullException       when the queue or the tenant's share of it is full
     */
    public ScanJob submitPath(String tenant, Path path) {
        return submitPath(tenant, path, Cohorts.Requested.OWN_BUCKET);
    }

    /** Queues a scan of a path as {@link #submitPath(String, Path)}, run with the knowledge of the {@code cohort} asked for. */
    public ScanJob submitPath(String tenant, Path path, Cohorts.Requested cohort) {
        checkTenant(tenant);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("path to scan must be absolute: " + path);
        }
        Path real = roots.check(path); // first, so a tenant learns nothing about what exists outside the roots
        if (!Files.exists(real)) {
            throw new IllegalArgumentException("cannot scan " + path + ": no such file or directory");
        }
        if (!Files.isReadable(real)) {
            throw new IllegalArgumentException("cannot scan " + path + ": it is not readable by the server");
        }
        return queued(queue.insert(UUID.randomUUID().toString(), tenant, ScanQueue.SourceKind.PATH, real.toString(), null,
                cohort, options.maxQueued(), options.maxPerTenant()));
    }

    /**
     * Queues a scan of an uploaded .zip, .tar.gz or .tgz archive. The archive is unpacked once here,
     * so a hostile or broken one is refused now rather than failing later, and kept as an owner-only
     * file until its job ends.
     *
     * @throws ArchiveException   naming the upload and the problem; nothing is kept
     * @throws QueueFullException when the queue or the tenant's share of it is full; nothing is kept
     */
    public ScanJob submitArchive(String tenant, InputStream archive, String fileName) throws ArchiveException {
        return submitArchive(tenant, archive, fileName, Cohorts.Requested.OWN_BUCKET);
    }

    /** Queues an archive as {@link #submitArchive(String, InputStream, String)}, run with the knowledge of the {@code cohort} asked for. */
    public ScanJob submitArchive(String tenant, InputStream archive, String fileName, Cohorts.Requested cohort) throws ArchiveException {
        checkTenant(tenant);
        byte[] bytes = archives.read(archive, fileName);
        Path trial = workDir.resolve("check-" + UUID.randomUUID());
        try {
            archives.extract(bytes, fileName, trial);
        } finally {
            Archives.deleteTree(trial);
        }
        String id = UUID.randomUUID().toString();
        Path file = uploadFile(id);
        try {
            Files.write(Files.createFile(file, privateFile()), bytes);
            return queued(queue.insert(id, tenant, ScanQueue.SourceKind.UPLOAD, fileName, uploadStore(workDir),
                    cohort, options.maxQueued(), options.maxPerTenant()));
        } catch (IOException e) {
            deleteUpload(id);
            throw new UncheckedIOException("cannot keep the upload " + fileName + " under " + uploads, e);
        } catch (RuntimeException e) {
            deleteUpload(id);
            throw e;
        }
    }

    private ScanJob queued(ScanJob job) {
        LOG.info("scan job {} queued for tenant {}: {}", job.id(), job.tenant(), job.source());
        workers.wake();
        return job;
    }

    /** The job, if it exists and belongs to {@code tenant}: another tenant's job is not found. */
    public Optional<ScanJob> find(String tenant, String id) {
        return queue.find(tenant, id);
    }

    /** The tenant's newest jobs first, at most {@code limit} (capped at 1000). */
    public List<ScanJob> list(String tenant, int limit) {
        return queue.list(tenant, limit);
    }

    /**
     * The report of a DONE job of {@code tenant}, read from the store a piece at a time (no connection is
     * held between pieces); empty while it is not done or not the tenant's. The caller closes it.
     *
     * @throws IllegalArgumentException for formats other than JSON and SARIF
     */
    public Optional<InputStream> report(String tenant, String id, ReportFormat format) {
        if (!ScanRunner.FORMATS.contains(format)) {
            throw new IllegalArgumentException("scan results are kept as json and sarif, not " + format.id());
        }
        return queue.report(tenant, id, format);
    }

    /** The whole report as text; for tests and small reports ({@link #report} streams). */
    public Optional<String> result(String tenant, String id, ReportFormat format) {
        return report(tenant, id, format).map(in -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Deletes the jobs that finished (DONE or FAILED) before {@code cutoff}, with their reports, and any
     * upload left here by a job that ended elsewhere; queued and running jobs are never touched.
     *
     * @return how many jobs were deleted
     */
    public int purgeFinishedBefore(Instant cutoff) {
        int purged = queue.purgeFinishedBefore(cutoff);
        try (Stream<Path> files = Files.list(uploads)) {
            files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(UPLOAD_SUFFIX))
                    .map(name -> name.substring(0, name.length() - UPLOAD_SUFFIX.length()))
                    .filter(id -> !queue.unfinished(id)).forEach(this::deleteUpload);
        } catch (IOException e) {
            LOG.warn("cannot list the uploads in {}: {}", uploads, e.getMessage());
        }
        return purged;
    }

    /** Jobs waiting to be claimed, on every node. */
    public int queueDepth() {
        return queue.queueDepth();
    }

    /** Tells {@code listener} of every job this node finishes (done or failed for good). */
    public void onFinished(Consumer<ScanJob> listener) {
        workers.onFinished(listener);
    }

    /** Starts the workers and the lease keeper. */
    public void start() {
        workers.start();
    }

    /** Stops claiming and lets running scans finish for up to 30 seconds; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(DRAIN_TIMEOUT);
    }

    /**
     * Stops claiming jobs and waits up to {@code timeout} for running scans to finish. Scans still
     * running then are interrupted and handed back to the queue (their attempt counts), so another
     * node or the next start runs them. The database is the caller's to close.
     */
    public void close(Duration timeout) {
        workers.stop(timeout);
    }

    /** A job's files: its path, checked again now, or its upload unpacked into the scratch directory. */
    private final class Inputs implements ScanWorkers.Inputs {
        @Override
        public Path open(ScanQueue.Claim claim, Path scratch) throws IOException, ArchiveException {
            if (claim.kind() == ScanQueue.SourceKind.UPLOAD) {
                byte[] upload;
                try {
                    upload = Files.readAllBytes(uploadFile(claim.id()));
                } catch (NoSuchFileException e) {
                    throw new ScanWorkers.InputRefused("the upload " + claim.source() + " is no longer on this server; upload it again");
                }
                return archives.extract(upload, claim.source(), scratch).root();
            }
            // The path was real when queued: if it resolves elsewhere now, a link was put in its way meanwhile.
            Path path = Path.of(claim.source());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new ScanWorkers.InputRefused("cannot scan " + path + ": it no longer exists");
            }
            Path real = path.toRealPath();
            if (!real.equals(path) || !roots.contains(real)) {
                throw new ScanWorkers.InputRefused("cannot scan " + path + ": it has been replaced by a link since the scan was "
                        + "queued, and scans do not follow links out of the directories this server may read");
            }
            return real;
        }

        @Override
        public void ended(String jobId) {
            deleteUpload(jobId);
        }
    }

    private Path uploadFile(String id) {
        return uploads.resolve(id + UPLOAD_SUFFIX);
    }

    private void deleteUpload(String id) {
        try {
            Files.deleteIfExists(uploadFile(id));
        } catch (IOException e) {
            LOG.warn("scan job {}: cannot remove its upload: {}", id, e.getMessage());
        }
    }

    /**
     * The name of the directory holding uploads, the same for every node that shares it: only those
     * can read an upload, so only they claim its job.
     */
    private static String uploadStore(Path workDir) {
        Path idFile = workDir.resolve("store-id");
        try {
            try {
                Files.writeString(Files.createFile(idFile, privateFile()), UUID.randomUUID().toString());
            } catch (FileAlreadyExistsException e) {
                // made before, by this node or another sharing the directory
            }
            String id = Files.readString(idFile).strip();
            if (id.isEmpty()) {
                throw new IOException("it is empty; delete it and restart");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scan store id " + idFile + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] privateFile() {
        return isPosix(Path.of("")) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void checkTenant(String tenant) {
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("a scan job needs a tenant");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "node";
        }
    }
}

package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of workers that claim jobs from the {@link ScanQueue} and run them through the
 * {@link ScanRunner}, keeping their leases renewed meanwhile. This is the one place where workers
 * catch failures: whatever an attempt throws, {@link OutOfMemoryError} and {@link StackOverflowError}
 * included, the worker survives, frees the claim and the attempt counts; a failure the tenant caused
 * (a bad archive, a path gone) fails the job at once, any other is retried until the attempts run out.
 */
final class ScanWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(ScanWorkers.class);
    /** How often idle workers look for jobs submitted through other nodes. */
    private static final long POLL_MILLIS = 500;

    /** Where a job's files come from: a path on this server or an upload, made ready to scan and cleaned up after. */
    interface Inputs {
        /** The tree to scan; {@code scratch} is a fresh directory name the input may unpack into. */
        Path open(ScanQueue.Claim claim, Path scratch) throws IOException, ArchiveException;

        /** Called once the job has ended (done, failed for good): drops what was kept for it. */
        void ended(String jobId);
    }

    /** A failure of the tenant's input, told to the tenant as it is; the job fails without retries. */
    static final class InputRefused extends RuntimeException {
        InputRefused(String message) {
            super(message);
        }
    }

    private final ScanQueue queue;
    private final KnowledgeHolder knowledge;
    private final ScanRunner runner;
    private final Inputs inputs;
    private final Path scratchDir;
    private final int count;
    private final Duration lease;
    private final String node;
    private final String uploadStore;
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final List<Consumer<ScanJob>> listeners = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private long wakeups; // guarded by signal
    private volatile boolean stopping;
    private ExecutorService workers;
    private ScheduledExecutorService leases;

    ScanWorkers(ScanQueue queue, KnowledgeHolder knowledge, ScanRunner runner, Inputs inputs, Path scratchDir, int count,
                Duration lease, String node, String uploadStore) {
        this.queue = queue;
        this.knowledge = knowledge;
        this.runner = runner;
        this.inputs = inputs;
        this.scratchDir = scratchDir;
        this.count = count;
        this.lease = lease;
        this.node = node;
        this.uploadStore = uploadStore;
    }

    void onFinished(Consumer<ScanJob> listener) {
        listeners.add(listener);
    }

    synchronized void start() {
        if (workers != null) {
            return;
        }
        stopping = false;
        AtomicInteger threads = new AtomicInteger();
        workers = Executors.newFixedThreadPool(count, r -> {
            Thread thread = new Thread(r, "freshet-scan-job-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < count; i++) {
            workers.execute(this::work);
        }
        leases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "freshet-scan-leases");
            thread.setDaemon(true);
            return thread;
        });
        // Renewing often is cheap (a few rows); a short period also spots other nodes' expired leases soon.
        long period = Math.clamp(lease.toMillis() / 3, 50, 2000);
        leases.scheduleWithFixedDelay(this::keepLeases, 0, period, TimeUnit.MILLISECONDS);
        LOG.info("scan jobs started on node {} with {} worker(s)", node, count);
    }

    /** Stops claiming, waits up to {@code timeout} for running scans, then interrupts them and hands them back. */
    synchronized void stop(Duration timeout) {
        if (workers == null) {
            return;
        }
        stopping = true;
        wake();
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

    /** A job was queued here: idle workers look at once instead of at their next poll. */
    void wake() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }

    private void work() {
        while (!stopping) {
            long seen;
            synchronized (signal) {
                seen = wakeups;
            }
            try {
                Optional<ScanQueue.Claim> claim = queue.claimNext(node, uploadStore, () -> stopping);
                if (claim.isPresent()) {
                    run(claim.get());
                    continue;
                }
            } catch (Throwable e) { // an unreachable store, or an error left over from a scan: the worker goes on
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

    private void run(ScanQueue.Claim claim) {
        running.put(claim.id(), claim.owner());
        try {
            attempt(claim);
        } finally {
            running.remove(claim.id()); // no renewal for a claim whose attempt is over, however it ended
        }
    }

    private void attempt(ScanQueue.Claim claim) {
        Path scratch = scratchDir.resolve("job-" + claim.id() + "-" + claim.owner().substring(claim.owner().lastIndexOf('/') + 1));
        String releaseId = null;
        ScanRunner.Scanned scanned = null;
        Throwable failure = null;
        try {
            Knowledge snapshot = knowledge.current(); // one snapshot for the whole scan
            releaseId = snapshot.releaseId();
            LOG.info("scan job {} started on node {} with release {}", claim.id(), node, releaseId);
            Path root = inputs.open(claim, scratch);
            scanned = runner.run(claim.id(), new ScanRunner.Unit(claim.tenant(), claim.source(), claim.cohort()), snapshot, root,
                    format -> queue.reportWriter(claim, format));
            releaseId = scanned.releaseId();
        } catch (Throwable e) {
            failure = e;
        } finally {
            try {
                Archives.deleteTree(scratch); // before the job is seen to end
            } catch (RuntimeException e) {
                LOG.warn("scan job {}: cannot remove {}: {}", claim.id(), scratch, e.getMessage());
            }
        }
        try {
            end(claim, releaseId, scanned, failure);
        } catch (Throwable e) { // the store failed us: the lease runs out and the job is taken up again
            LOG.error("scan job {}: cannot record its end on node {}: {}", claim.id(), node, e.toString(), e);
        }
    }

    private void end(ScanQueue.Claim claim, String releaseId, ScanRunner.Scanned scanned, Throwable failure) {
        if (failure == null) {
            boolean ours = queue.finishDone(claim, releaseId, scanned);
            ended(claim, ours, "done: " + scanned.findings() + " finding(s)" + (scanned.truncated() ? " (truncated)" : "")
                    + ", " + scanned.vulnerableDependencies() + " vulnerable dependenc(ies)");
        } else if (failure instanceof ScanQueue.ClaimLost lost) {
            LOG.warn(lost.getMessage());
        } else if (stopping && Thread.interrupted()) {
            handBack(claim.id(), claim.owner()); // stop() ran out of patience: another node or the next start runs it
        } else if (tenantsFault(failure) instanceof String reason) {
            ended(claim, queue.finishFailed(claim, releaseId, reason), "failed: " + reason);
        } else {
            String reason = internal(claim, failure);
            switch (queue.retryOrFail(claim, reason)) {
                case QUEUED_AGAIN -> {
                    LOG.warn("scan job {} failed on node {} ({}); queued for another attempt", claim.id(), node, reason);
                    wake();
                }
                case GIVEN_UP -> ended(claim, true, "failed for good: " + reason);
                case CLAIM_LOST -> ended(claim, false, reason);
            }
        }
    }

    /** The message for a failure the tenant's input caused, or null for the server's own failures. */
    private static String tenantsFault(Throwable failure) {
        return switch (failure) {
            case ArchiveException archive -> archive.getMessage();
            case InputRefused refused -> refused.getMessage();
            case IOException io -> "cannot read the files to scan: " + io.getMessage();
            case UncheckedIOException io -> "cannot read the files to scan: " + io.getCause().getMessage();
            default -> null;
        };
    }

    /** What the tenant is told of a failure of the server's; the log has the stack. */
    private String internal(ScanQueue.Claim claim, Throwable failure) {
        LOG.error("scan job {} failed on node {}", claim.id(), node, failure);
        return switch (failure) {
            case OutOfMemoryError e -> "the scan ran out of memory (" + e.getMessage()
                    + "); lower the limit of findings per scan (--max-findings) or scan a smaller tree";
            case StackOverflowError e -> "the scan overflowed its stack on deeply nested code";
            default -> "internal error; the server log has the details of job " + claim.id(); // no server internals to tenants
        };
    }

    private void ended(ScanQueue.Claim claim, boolean ours, String outcome) {
        if (!ours) {
            LOG.warn("scan job {}: node {} lost its claim before finishing; its result is dropped", claim.id(), node);
            return;
        }
        LOG.info("scan job {} {}", claim.id(), outcome);
        inputs.ended(claim.id());
        if (!listeners.isEmpty()) {
            queue.find(claim.id()).ifPresent(job -> listeners.forEach(l -> {
                try {
                    l.accept(job);
                } catch (RuntimeException e) {
                    LOG.warn("scan job listener failed: {}", e.toString());
                }
            }));
        }
    }

    private void handBack(String id, String owner) {
        try {
            switch (queue.handBack(id, owner)) {
                case QUEUED_AGAIN -> LOG.info("scan job {} handed back to the queue by node {}", id, node);
                case GIVEN_UP -> {
                    LOG.warn("scan job {} given up: the server stopped during each of its attempts", id);
                    inputs.ended(id);
                }
                case CLAIM_LOST -> { }
            }
        } catch (RuntimeException e) {
            LOG.warn("scan job {}: cannot hand it back ({}); it is queued again when its lease expires", id, e.toString());
        }
    }

    /** Renews this node's leases, then requeues (or, after too many attempts, fails) jobs whose lease expired. */
    private void keepLeases() {
        try {
            running.forEach((id, owner) -> {
                if (!queue.renew(id, owner) && owner.equals(running.get(id))) { // not just finished in the meantime
                    LOG.warn("scan job {}: node {} could not renew its lease; another node may take the job over", id, node);
                }
            });
            int[] changed = queue.expireLeases();
            if (changed[0] > 0 || changed[1] > 0) {
                LOG.warn("scan jobs with an expired lease: {} queued again, {} given up", changed[0], changed[1]);
                wake();
            }
        } catch (Throwable e) {
            LOG.error("scan job leases on node {}: {}", node, e.toString(), e);
        }
    }
}

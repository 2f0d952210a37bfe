package dev.freshet.updates.generation;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes accepted requests for custom rules off the request path, on a fixed number of threads
 * (generation runs the engine and may wait on a model for 30 s a rule, so a burst of requests
 * must not take every core). The store is the queue: an accepted request is a row in state
 * {@code ACCEPTED}. A worker claims it with a lease before making it ({@link CustomRules#claim}),
 * so with several nodes on one store one worker at a time makes a request; this node renews its
 * leases and looks for claimable requests every third of a lease, so one accepted on another node
 * whose node died (or before a stop here) is taken up once its lease ran out. {@link CustomRules#finish}
 * charges nothing twice however often it runs. Once a request is done, the scan it came with is queued.
 */
public final class GenerationWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationWorkers.class);

    /** Queues the scan a request came with, after its rules are live; returns the scan's id, or why none was queued. */
    @FunctionalInterface
    public interface FollowUp {
        String queueScan(String tenant, CustomRules.FollowUpScan scan);
    }

    private final CustomRules rules;
    private final FollowUp followUp;
    private final String node;
    private final Duration lease;
    private final ExecutorService pool;
    private final ScheduledExecutorService leases;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, CustomRules.Claim> running = new ConcurrentHashMap<>();
    private volatile boolean closing;

    public GenerationWorkers(CustomRules rules, int threads, FollowUp followUp) {
        this(rules, threads, followUp, CustomRules.LOCAL_NODE, CustomRules.LEASE);
    }

    /**
     * @param node  this node's name in its claims
     * @param lease how long a claim holds unrenewed; another node takes a request over after it
     */
    public GenerationWorkers(CustomRules rules, int threads, FollowUp followUp, String node, Duration lease) {
        if (threads < 1) {
            throw new IllegalArgumentException("custom rules need at least one worker, not " + threads);
        }
        this.rules = rules;
        this.followUp = followUp;
        this.node = node;
        this.lease = lease;
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("freshet-custom-rules-", 1).daemon().factory());
        this.leases = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("freshet-custom-rules-leases").daemon().factory());
    }

    /**
     * Keeps this node's leases and takes up claimable requests (those a stop left too, and done ones
     * whose scan was not queued), at once and every third of a lease.
     */
    public void start() {
        long period = Math.clamp(lease.toMillis() / 3, 20, 30_000);
        leases.scheduleWithFixedDelay(this::keepLeases, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Queues a request for the workers; one already queued or running here is not queued again. */
    public void submit(String requestId) {
        if (!queued.add(requestId)) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    if (!closing) {
                        run(requestId);
                    }
                } finally {
                    queued.remove(requestId);
                }
            });
        } catch (RejectedExecutionException closing) {
            queued.remove(requestId); // stays ACCEPTED in the store: a worker here or elsewhere takes it up
        }
    }

    private void run(String requestId) {
        try {
            Optional<CustomRules.Claim> claim = rules.claim(requestId, node, lease);
            if (claim.isPresent()) {
                running.put(requestId, claim.get());
                try {
                    rules.finish(claim.get());
                } catch (IOException | RuntimeException e) {
                    if (!(e instanceof CustomRules.ClaimLost)) {
                        rules.failed(claim.get(), reasonOf(e));
                    }
                    throw e;
                } finally {
                    running.remove(requestId);
                }
            }
            queueFollowUp(requestId); // only once done, by this worker or another
        } catch (CustomRules.ClaimLost lost) {
            LOG.warn(lost.getMessage());
        } catch (IOException | RuntimeException e) {
            // The claim is left to run out, unrenewed: the request is taken up again after the lease, here or on another node,
            // until it has been taken up CustomRules.MAX_CLAIMS times.
            LOG.error("custom rules: request {} could not be finished now; it is taken up again after its lease of {}", requestId, lease, e);
        }
    }

    /** Why an attempt failed, for the requester who polls the request. */
    private static String reasonOf(Exception e) {
        return switch (e) {
            case NoSuchFileException missing -> "the project " + missing.getFile() + " no longer exists";
            case IOException io -> "could not read the project: " + io;
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }

    /** Queues the scan a done request came with, once over all nodes: the worker that claims it queues it. */
    private void queueFollowUp(String requestId) {
        Optional<CustomRules.Claim> claim = rules.claimFollowUp(requestId, node, lease);
        Optional<CustomRules.FollowUpScan> scan = claim.flatMap(c -> rules.pendingScan(requestId));
        if (scan.isPresent()) {
            String tenant = rules.status(null, requestId, true).orElseThrow().tenant();
            if (!rules.scanQueued(claim.get(), followUp.queueScan(tenant, scan.get()))) {
                LOG.warn("custom rules: the follow-up scan of request {} was queued after its claim ran out; it may be queued twice", requestId);
            }
        }
    }

    /** Renews the leases of the requests made here, then queues the requests no live claim holds. */
    private void keepLeases() {
        try {
            running.forEach((id, claim) -> {
                if (!rules.renew(claim) && claim.equals(running.get(id))) { // not just finished in the meantime
                    LOG.warn("custom rules: node {} could not renew its lease on request {}; another node may take it over", node, id);
                }
            });
            if (!closing) {
                rules.claimable().forEach(this::submit);
            }
        } catch (RuntimeException e) { // an unreachable store: the next round tries again
            LOG.error("custom rules leases on node {}: {}", node, e.toString(), e);
        }
    }

    /** Lets running requests finish (up to {@code grace}); those still queued stay accepted in the store and are taken up after. */
    public void close(Duration grace) {
        closing = true; // what has not started stays ACCEPTED in the store
        pool.shutdown();
        try {
            pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.shutdownNow(); // after the pool: running requests keep their leases while they finish
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}

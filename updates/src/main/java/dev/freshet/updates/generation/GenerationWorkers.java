package dev.freshet.updates.generation;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes accepted requests for custom rules off the request path, on a fixed number of threads
 * (generation runs the engine and may wait on a model for 30 s a rule, so a burst of requests
 * must not take every core). The store is the queue: an accepted request is a row in state
 * {@code ACCEPTED}, so one accepted before a stop or a crash is taken up again by {@link #start},
 * and {@link CustomRules#finish} charges nothing twice however often it runs. A request is never
 * worked on twice at once on one node. Once a request is done, the scan it came with is queued.
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
    private final ExecutorService pool;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public GenerationWorkers(CustomRules rules, int threads, FollowUp followUp) {
        if (threads < 1) {
            throw new IllegalArgumentException("custom rules need at least one worker, not " + threads);
        }
        this.rules = rules;
        this.followUp = followUp;
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("freshet-custom-rules-", 1).daemon().factory());
    }

    /** Takes up what a stop left: requests accepted and not done, and done ones whose scan was not queued. */
    public void start() {
        rules.unfinished().forEach(this::submit);
        rules.scansToQueue().forEach(this::submit);
    }

    /** Queues a request for the workers; one already queued or running is not queued again. */
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
            queued.remove(requestId); // stays ACCEPTED in the store: the next start takes it up
        }
    }

    private void run(String requestId) {
        try {
            CustomRules.Result result = rules.finish(requestId);
            Optional<CustomRules.FollowUpScan> scan = rules.pendingScan(requestId);
            if (scan.isPresent()) {
                rules.scanQueued(requestId, followUp.queueScan(result.tenant(), scan.get()));
            }
        } catch (IOException | RuntimeException e) {
            // The request stays as it is in the store: the next start takes it up where it stopped.
            LOG.error("custom rules: request {} could not be finished now; it is taken up again at the next start", requestId, e);
        }
    }

    /** Lets running requests finish (up to {@code grace}); those still queued stay accepted in the store for the next start. */
    public void close(Duration grace) {
        closing = true; // what has not started stays ACCEPTED in the store
        pool.shutdown();
        try {
            pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}

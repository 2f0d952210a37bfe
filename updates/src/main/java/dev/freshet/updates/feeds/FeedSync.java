package dev.freshet.updates.feeds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs feeds into the {@link AdvisoryStore}: each sync starts at the feed's stored cursor and
 * stores page by page. A failing feed keeps what was stored before (stale but valid) and the
 * error is recorded for {@link #status}.
 */
public final class FeedSync {
    private static final Logger LOG = LoggerFactory.getLogger(FeedSync.class);

    private final AdvisoryStore store;
    private final Clock clock;

    /** Hears of each stored page, for progress on a terminal. */
    @FunctionalInterface
    public interface Listener {
        void pageStored(String feed, int pages, int records);

        Listener NONE = (feed, pages, records) -> { };
    }

    /**
     * What one sync did.
     *
     * @param records advisories stored by this sync (a record stored again counts again)
     * @param error   why it failed, null when it succeeded
     */
    public record Result(String feed, boolean succeeded, int pages, int records, String error, Duration took) {
    }

    public FeedSync(AdvisoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Result sync(Feed feed) throws InterruptedException {
        return sync(feed, Listener.NONE);
    }

    public Result sync(Feed feed, Listener listener) throws InterruptedException {
        String name = feed.name();
        Instant started = clock.instant();
        store.recordAttempt(name, started);
        String cursor = store.state(name).cursor();
        int[] counts = new int[2];
        try {
            feed.sync(cursor, page -> {
                store.storePage(name, page, clock.instant());
                counts[0]++;
                counts[1] += page.advisories().size();
                listener.pageStored(name, counts[0], counts[1]);
            });
        } catch (FeedException e) {
            return failed(feed, started, counts, e.getMessage());
        } catch (InterruptedException e) {
            failed(feed, started, counts, "feed '" + name + "': interrupted");
            throw e;
        } catch (RuntimeException e) {
            LOG.error("feed {}: sync failed after {} page(s)", name, counts[0], e);
            return failed(feed, started, counts, "feed '" + name + "': internal error: " + e);
        }
        store.recordSuccess(name, clock.instant());
        Duration took = Duration.between(started, clock.instant());
        LOG.info("feed {}: synced {} page(s), {} record(s) in {} ms", name, counts[0], counts[1], took.toMillis());
        return new Result(name, true, counts[0], counts[1], null, took);
    }

    private Result failed(Feed feed, Instant started, int[] counts, String error) {
        String name = feed.name();
        store.recordFailure(name, clock.instant(), error, feed.freshnessTarget());
        // Callers report failures (the command line prints one line each, the scheduler logs a warning).
        LOG.info("feed {}: sync failed after {} page(s), stored data kept: {}", name, counts[0], error);
        return new Result(name, false, counts[0], counts[1], error, Duration.between(started, clock.instant()));
    }

    /**
     * Syncs the feeds at once, each on its own virtual thread (they are independent and mostly
     * wait on the network); the results come in the order of {@code feeds}.
     */
    public List<Result> syncAll(List<Feed> feeds, Listener listener) throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Result>> running = new ArrayList<>();
            for (Feed feed : feeds) {
                running.add(pool.submit(() -> sync(feed, listener)));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> result : running) {
                try {
                    results.add(result.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("feed sync failed unexpectedly", e.getCause());
                }
            }
            return results;
        }
    }

    public FeedStatus status(Feed feed) {
        AdvisoryStore.FeedState state = store.state(feed.name());
        Instant now = clock.instant();
        Duration age = state.lastSuccessAt() == null ? null : Duration.between(state.lastSuccessAt(), now);
        boolean stale = age == null || age.compareTo(feed.freshnessTarget()) > 0;
        return new FeedStatus(feed.name(), state.records(), state.lastSuccessAt(), age, feed.freshnessTarget(), stale,
                state.lastAttemptAt(), state.lastError());
    }

    public List<FeedStatus> status(List<Feed> feeds) {
        return feeds.stream().map(this::status).toList();
    }
}

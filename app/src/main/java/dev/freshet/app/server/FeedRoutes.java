package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.feeds.FeedSync;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Advisory feeds: how current each is, and a sync on demand (in the background: a first NVD sync takes minutes). */
public final class FeedRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(FeedRoutes.class);

    /** Which feeds to sync; all when left out. */
    record SyncRequest(List<String> feeds) {
    }

    private final Services services;
    private final AtomicBoolean syncing = new AtomicBoolean();

    FeedRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/feeds", Role.VIEWER, "Per feed: records, last success, age against the freshness target, stale or not",
                        r -> Reply.ok(services.feedSync().status(services.feeds()).stream().map(FeedRoutes::describe).toList())),
                Route.withOptionalBody(HandlerType.POST, "/api/feeds/sync", Role.OPERATOR,
                        "Start syncing the feeds (all, or those named) in the background; GET /api/feeds shows the outcome",
                        SyncRequest.class, (r, body) -> sync(body == null || body.feeds() == null ? List.of() : body.feeds())));
    }

    private Reply sync(List<String> names) {
        List<Feed> chosen = names.isEmpty() ? services.feeds() : names.stream().map(name -> services.feeds().stream()
                .filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> ApiError.badRequest("no feed named '" + name
                        + "'; feeds: " + String.join(", ", services.feeds().stream().map(Feed::name).toList())))).toList();
        if (!syncing.compareAndSet(false, true)) {
            throw ApiError.conflict("a feed sync started through the API is still running");
        }
        Thread.ofVirtual().name("freshet-feed-sync").start(() -> {
            try {
                int stored = 0;
                for (Feed feed : chosen) {
                    FeedSync.Result result = services.feedSync().sync(feed);
                    stored += result.records();
                }
                if (stored > 0) {
                    services.afterNewAdvisories().run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("feed sync started through the API failed", e);
            } finally {
                syncing.set(false);
            }
        });
        return Reply.accepted(Map.of("syncing", chosen.stream().map(Feed::name).toList()));
    }

    /** A feed's status as the API and {@code feeds status --json} show it. */
    public static Map<String, Object> describe(FeedStatus s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("feed", s.feed());
        row.put("records", s.records());
        row.put("last_success", s.lastSuccess());
        row.put("age_seconds", s.age() == null ? null : s.age().toSeconds());
        row.put("freshness_target_seconds", s.freshnessTarget().toSeconds());
        row.put("stale", s.stale());
        row.put("last_attempt", s.lastAttempt());
        row.put("last_error", s.lastError());
        return row;
    }
}

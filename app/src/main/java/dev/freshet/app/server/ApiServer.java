package dev.freshet.app.server;

import dev.freshet.app.dashboard.Dashboard;
import dev.freshet.app.dashboard.RuleHealthRow;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.notify.NotificationStore;
import dev.freshet.updates.access.DashboardSessions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP service: the route table registered on Javalin, each call authenticated, authorized by
 * role, rate-limited per key, timed per route template, and answered in JSON ({@code {"error": ...}}
 * for every refusal). Stopping first drains the requests in flight.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String ANSWERED = "freshet.answered";
    private static final int MAX_THREADS = 256;
    /** Sent with every 503 and 429 that has no more precise wait of its own (the rate limiter's). */
    static final int RETRY_AFTER_SECONDS = 2;
    /** A request body (or a response) moving slower than this is cut off with 408: it would hold a thread for nothing. */
    static final long MIN_BYTES_PER_SECOND = 1024;
    /** Failed key lookups one client address may cause a minute before it is refused (429) without a lookup. */
    static final int FAILED_LOGINS_PER_MINUTE = 10;

    /**
     * How the server runs.
     *
     * @param rateLimit      requests per second each API key may make
     * @param maxInFlight    requests each API key may have in flight at once (a quarter of the server's threads by default)
     * @param maxUploadBytes the largest scan archive accepted
     */
    public record Options(String host, int port, int rateLimit, int maxInFlight, long maxUploadBytes, String version, Duration drainTimeout) {
        public static final int DEFAULT_MAX_IN_FLIGHT = MAX_THREADS / 4;

        public static Options defaults(int port, String version) {
            return new Options("127.0.0.1", port, 50, DEFAULT_MAX_IN_FLIGHT, 100L * 1024 * 1024, version, Duration.ofSeconds(30));
        }
    }

    private final Services services;
    private final Options options;
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final ReadCache readCache = new ReadCache();
    /** Read by the metrics, which count the log's events per type. */
    private final EventLog events;
    private final NotificationStore notifications;
    private final List<Route> routes;
    private final Dashboard dashboard;
    private final Javalin javalin;

    public ApiServer(Services services, Options options) {
        this.services = services;
        this.options = options;
        this.events = new EventLog(services.jdbi());
        this.notifications = new NotificationStore(services.jdbi());
        this.authenticator = new Authenticator(services.access(), new FailedLogins(FAILED_LOGINS_PER_MINUTE, Duration.ofMinutes(1)));
        this.rateLimits = new RateLimits(options.rateLimit(), options.maxInFlight());
        this.routes = routeTable();
        // Rule health comes from the feedback store (issue 18's community learning) once both are in one build.
        this.dashboard = new Dashboard(services, new DashboardSessions(services.jdbi(), services.clock()), authenticator::lookUp,
                rateLimits::admit, () -> services.community().processor().health().stream().map(h -> new RuleHealthRow(h.ruleId(),
                        h.status().name().toLowerCase(Locale.ROOT), h.precision(), h.precisionLow(), h.precisionHigh(),
                        h.evidence(), h.notUsefulRate(), h.onProbation(), h.direction().name().toLowerCase(Locale.ROOT))).toList());
        services.scans().ifPresent(scans -> scans.onFinished(services.metrics()::scanFinished));
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Platform threads: the store is SQLite through JNI, and a native call pins a virtual thread's
            // carrier, so with virtual threads a few store reads would stall every other request.
            config.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 8, 60_000);
            config.http.maxRequestSize = options.maxUploadBytes() + 1;
            config.http.prefer405over404 = true;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.jetty.modifyHttpConfiguration(http -> {
                http.setMinRequestDataRate(MIN_BYTES_PER_SECOND);
                http.setMinResponseDataRate(MIN_BYTES_PER_SECOND);
            });
            // Jetty's graceful stop: no new connections, and requests in flight are answered in full
            // (the response written, not just the handler returned) before the server goes.
            config.jetty.modifyServer(server -> {
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(options.drainTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
            });
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), ctx -> handle(route, ctx));
            }
            for (Dashboard.Page page : dashboard.pages()) {
                config.routes.addHttpHandler(page.method(), page.path(), ctx -> page(page, ctx));
            }
            config.routes.error(404, ctx -> unmatched(ctx, "no route " + ctx.method().name() + " " + ctx.path()));
            config.routes.error(405, ctx -> unmatched(ctx, ctx.method().name() + " is not allowed on " + ctx.path()));
        });
    }

    /** Every route the server answers, in the order the OpenAPI document lists them. */
    public List<Route> routes() {
        return routes;
    }

    public ApiServer start() {
        javalin.start();
        LOG.info("serving on http://{}:{} ({} routes)", options.host(), javalin.port(), routes.size());
        return this;
    }

    public int port() {
        return javalin.port();
    }

    /**
     * Refuses new requests (503 on open connections, refused connections), waits for those in flight
     * to be answered, up to the drain timeout, then stops.
     */
    public void stop() {
        javalin.stop();
        LOG.info("stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private List<Route> routeTable() {
        List<Route> table = new ArrayList<>();
        table.add(Route.get("/health/live", null, "The process is up", r -> Reply.ok(Map.of("status", "live"))));
        table.add(Route.get("/health/ready", null, "The store answers and knowledge is loaded", r -> ready()));
        table.add(Route.get("/metrics", null, "Prometheus metrics", r -> new Reply.Text(200, "text/plain; version=0.0.4; charset=utf-8",
                services.metrics().scrape(services.feedSync().status(services.feeds()), services.knowledge().holder(),
                        services.scans().map(ScanService::queueDepth).orElse(0), events, notifications.overdue(services.clock().instant())))).produces("text/plain"));
        table.add(Route.get("/openapi.json", null, "This API's OpenAPI 3 document",
                r -> Reply.ok(OpenApi.document(routes, options.version()))));
        // Reads of shared knowledge are cached briefly; anything tenant-specific or live is not.
        List<Route> shared = new ArrayList<>();
        shared.addAll(new ReleaseRoutes(services).routes());
        shared.addAll(new RolloutRoutes(services).routes());
        shared.addAll(new SourceRoutes(services).routes());
        shared.addAll(new OverrideRoutes(services).routes());
        shared.addAll(new FeedRoutes(services).routes());
        shared.addAll(new RuleRoutes(services).routes());
        shared.forEach(route -> table.add(route.method() == HandlerType.GET ? readCache.cached(route) : route));
        table.addAll(new ModelRoutes(services).routes());
        table.addAll(new ProjectRoutes(services).routes());
        table.addAll(new CommunityRoutes(services).routes());
        table.addAll(new ScanRoutes(services, options.maxUploadBytes()).routes());
        table.addAll(new AccessRoutes(services, authenticator::forget).routes());
        table.addAll(new CreditRoutes(services).routes());
        table.addAll(new CustomRuleRoutes(services).routes());
        return List.copyOf(table);
    }

    private Reply ready() {
        Map<String, Object> json = new LinkedHashMap<>();
        boolean storeOk;
        try {
            storeOk = services.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
            json.put("store", "ok");
        } catch (RuntimeException e) {
            storeOk = false;
            json.put("store", "unreachable: " + e.getMessage());
        }
        Knowledge knowledge = services.knowledge().holder().current();
        boolean loaded = knowledge != Knowledge.EMPTY;
        json.put("knowledge", loaded ? knowledge.releaseId() : "none loaded");
        json.put("rules", knowledge.rules().size());
        json.put("status", storeOk && loaded ? "ready" : "not ready");
        return new Reply.Json(storeOk && loaded ? 200 : 503, json);
    }

    private void handle(Route route, Context ctx) {
        long started = System.nanoTime();
        Reply reply;
        try {
            if (route.role() == null) {
                reply = route.action().handle(new Request(ctx, null));
            } else {
                Caller caller = authenticator.authorize(ctx.header("Authorization"), route.role(), ctx.ip());
                try (RateLimits.Admission admitted = rateLimits.admit(caller.keyId())) {
                    reply = route.action().handle(new Request(ctx, caller));
                }
            }
            if (route.method() != HandlerType.GET) {
                readCache.forget();
            }
        } catch (ApiError e) {
            e.retryAfterSeconds().ifPresent(seconds -> ctx.header("Retry-After", String.valueOf(seconds)));
            reply = error(e.status(), e.getMessage());
        } catch (Exception e) {
            if (storeBusy(e)) {
                LOG.warn("{} {}: the store has no free connection: {}", ctx.method().name(), ctx.path(), e.toString());
                reply = error(503, "the store is busy; try again shortly");
            } else {
                LOG.error("{} {} failed", ctx.method().name(), ctx.path(), e);
                reply = error(500, "internal error: " + e.getClass().getSimpleName() + " (details in the server log)");
            }
        }
        write(ctx, reply);
        services.metrics().request(ctx.method().name(), route.path(), reply.status(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** A dashboard page answers in HTML itself (errors included); the server times it and forgets cached reads after a change. */
    private void page(Dashboard.Page page, Context ctx) throws Exception {
        long started = System.nanoTime();
        ctx.attribute(ANSWERED, true);
        try {
            page.handler().handle(ctx);
        } catch (Exception e) {
            LOG.error("{} {} failed", ctx.method().name(), ctx.path(), e);
            ctx.status(500).contentType("text/plain; charset=utf-8").result("internal error (details in the server log)");
        }
        if (page.method() != HandlerType.GET) {
            readCache.forget();
        }
        services.metrics().request(ctx.method().name(), page.path(), ctx.status().getCode(), Duration.ofNanos(System.nanoTime() - started));
    }

    private void unmatched(Context ctx, String message) {
        if (ctx.attribute(ANSWERED) != null) {
            return;
        }
        int status = ctx.status().getCode();
        write(ctx, error(status, message));
        services.metrics().request(ctx.method() == null ? "?" : ctx.method().name(), "unmatched", status, Duration.ZERO);
    }

    /** Whether {@code e} is the connection pool timing out (every connection busy), a condition that passes. */
    private static boolean storeBusy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a refusal with {@code status} passes (busy, stopping, over a limit), so it carries a Retry-After. */
    static boolean passes(int status) {
        return status == 503 || status == 429;
    }

    private static Reply error(int status, String message) {
        return new Reply.Json(status, Map.of("error", message));
    }

    private static void write(Context ctx, Reply reply) {
        ctx.attribute(ANSWERED, true);
        ctx.status(reply.status());
        if (passes(reply.status()) && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        switch (reply) {
            case Reply.Json json -> {
                json.location().ifPresent(location -> ctx.header("Location", location));
                ctx.contentType("application/json").result(Json.write(json.body()));
            }
            case Reply.Text text -> ctx.contentType(text.contentType()).result(text.body());
            case Reply.Stream stream -> ctx.contentType(stream.contentType()).result(stream.body());
        }
    }
}

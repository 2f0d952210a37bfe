package dev.freshet.app.server;

import dev.freshet.engine.knowledge.Knowledge;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * How the server runs.
     *
     * @param rateLimit      requests per second each API key may make
     * @param maxUploadBytes the largest scan archive accepted
     */
    public record Options(String host, int port, int rateLimit, long maxUploadBytes, String version, Duration drainTimeout) {
        public static Options defaults(int port, String version) {
            return new Options("127.0.0.1", port, 50, 100L * 1024 * 1024, version, Duration.ofSeconds(30));
        }
    }

    private final Services services;
    private final Options options;
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final List<Route> routes;
    private final Javalin javalin;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    public ApiServer(Services services, Options options) {
        this.services = services;
        this.options = options;
        this.authenticator = new Authenticator(services.access());
        this.rateLimits = new RateLimits(options.rateLimit());
        this.routes = routeTable();
        services.scans().ifPresent(scans -> scans.onFinished(services.metrics()::scanFinished));
        this.javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = options.maxUploadBytes() + 1;
            config.http.prefer405over404 = true;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), ctx -> handle(route, ctx));
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

    /** Refuses new requests (503), waits for those in flight up to the drain timeout, then stops. */
    public void stop() {
        stopping = true;
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.warn("stopping with {} request(s) still in flight after {}", inFlight.get(), options.drainTimeout());
        }
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
                        services.scans().map(ScanService::queueDepth).orElse(0)))).produces("text/plain"));
        table.add(Route.get("/openapi.json", null, "This API's OpenAPI 3 document",
                r -> Reply.ok(OpenApi.document(routes, options.version()))));
        table.addAll(new ReleaseRoutes(services).routes());
        table.addAll(new SourceRoutes(services).routes());
        table.addAll(new OverrideRoutes(services).routes());
        table.addAll(new FeedRoutes(services).routes());
        table.addAll(new RuleRoutes(services).routes());
        table.addAll(new ProjectRoutes(services).routes());
        table.addAll(new ScanRoutes(services, options.maxUploadBytes()).routes());
        table.addAll(new AccessRoutes(services, authenticator::forget).routes());
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
        inFlight.incrementAndGet();
        Reply reply;
        try {
            if (stopping) {
                throw new ApiError(503, "the server is shutting down");
            }
            Caller caller = null;
            if (route.role() != null) {
                caller = authenticator.authorize(ctx.header("Authorization"), route.role());
                rateLimits.acquire(caller.keyId());
            }
            reply = route.action().handle(new Request(ctx, caller));
        } catch (ApiError e) {
            reply = error(e.status(), e.getMessage());
        } catch (RateLimits.RateLimited e) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds));
            reply = error(429, e.getMessage());
        } catch (Exception e) {
            LOG.error("{} {} failed", ctx.method().name(), ctx.path(), e);
            reply = error(500, "internal error: " + e.getClass().getSimpleName() + " (details in the server log)");
        } finally {
            inFlight.decrementAndGet();
        }
        write(ctx, reply);
        services.metrics().request(ctx.method().name(), route.path(), reply.status(), Duration.ofNanos(System.nanoTime() - started));
    }

    private void unmatched(Context ctx, String message) {
        if (ctx.attribute(ANSWERED) != null) {
            return;
        }
        int status = ctx.status().getCode();
        write(ctx, error(status, message));
        services.metrics().request(ctx.method() == null ? "?" : ctx.method().name(), "unmatched", status, Duration.ZERO);
    }

    private static Reply error(int status, String message) {
        return new Reply.Json(status, Map.of("error", message));
    }

    private static void write(Context ctx, Reply reply) {
        ctx.attribute(ANSWERED, true);
        ctx.status(reply.status());
        switch (reply) {
            case Reply.Json json -> ctx.contentType("application/json").result(Json.write(json.body()));
            case Reply.Text text -> ctx.contentType(text.contentType()).result(text.body());
        }
    }
}

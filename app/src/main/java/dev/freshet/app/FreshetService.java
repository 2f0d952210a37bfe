package dev.freshet.app;

import dev.freshet.app.server.ApiServer;
import dev.freshet.app.server.ReadablePaths;
import dev.freshet.app.server.ScanService;
import dev.freshet.updates.cluster.KnowledgeFollower;
import dev.freshet.updates.jobs.EngineScanRunner;
import dev.freshet.updates.rollout.RolloutDriver;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutScans;
import dev.freshet.updates.jobs.ScanJobs;
import dev.freshet.app.server.ServerMetrics;
import dev.freshet.app.server.Services;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.access.TenantProjects;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code freshet serve} running: one store, the knowledge the engine applies (following the store),
 * the same scheduled jobs as {@code update watch}, and the HTTP API. Closing drains the requests in
 * flight, then stops the scheduler and the store.
 */
final class FreshetService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FreshetService.class);
    static final String BOOTSTRAP_TENANT = "default";

    /**
     * How to serve.
     *
     * @param readRoots   directories callers may name (projects, path scans, dir sources)
     * @param maxInFlight requests each API key may have in flight at once
     * @param keepScans   how long finished scans stay in the store
     * @param scanLimits  bounds of the scan queue
     */
    record Options(String host, int port, List<Path> readRoots, int rateLimit, int maxInFlight, long maxUploadBytes, Duration drainTimeout,
                   Duration keepScans, ScanLimits scanLimits) {
        Options(String host, int port, List<Path> readRoots, int rateLimit, int maxInFlight, long maxUploadBytes, Duration drainTimeout,
                Duration keepScans) {
            this(host, port, readRoots, rateLimit, maxInFlight, maxUploadBytes, drainTimeout, keepScans, ScanLimits.DEFAULTS);
        }
    }

    /** Findings one scan keeps, and scans one tenant may have queued or running. */
    record ScanLimits(int maxFindings, int maxPerTenant) {
        static final ScanLimits DEFAULTS = new ScanLimits(EngineScanRunner.DEFAULT_MAX_FINDINGS, ScanJobs.Options.DEFAULT_MAX_PER_TENANT);
    }

    /** Finished scans past their retention are deleted hourly (once per cluster, as every scheduled job). */
    static final String SCAN_PURGE_SCHEDULE = "0 17 * * * *";

    private final Database database;
    private final ActiveKnowledge knowledge;
    private final KnowledgeFollower follower;
    private final RolloutDriver rollouts;
    private final RolloutScans rolloutScans;
    /** The persistent scan queue, or null when a stand-in serves the scan routes (tests). */
    private final ScanJobs jobs;
    private final CheckScheduler scheduler;
    private final ApiServer server;
    private final Optional<String> bootstrapKey;
    private final Optional<String> starterRelease;

    private FreshetService(Database database, ActiveKnowledge knowledge, KnowledgeFollower follower, RolloutDriver rollouts,
                           RolloutScans rolloutScans, ScanJobs jobs, CheckScheduler scheduler, ApiServer server,
                           Optional<String> bootstrapKey, Optional<String> starterRelease) {
        this.database = database;
        this.knowledge = knowledge;
        this.follower = follower;
        this.rollouts = rollouts;
        this.rolloutScans = rolloutScans;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.server = server;
        this.bootstrapKey = bootstrapKey;
        this.starterRelease = starterRelease;
    }

    /**
     * Starts serving.
     *
     * @param scans a stand-in for the scan queue (tests); empty: the persistent queue in the store
     */
    static FreshetService start(Settings settings, Options options, Optional<ScanService> scans) {
        String version = version();
        Database database;
        try {
            database = Database.open(settings.storeLocation());
        } catch (dev.freshet.updates.store.StoreException e) {
            throw new UserError(e.getMessage());
        }
        try {
            Clock clock = Clock.systemUTC();
            Updater updater = UpdateWiring.updater(settings, database, version);
            ReleaseStore releases = new ReleaseStore(database);
            SourceRegistry registry = new SourceRegistry(database.jdbi(), clock);
            Optional<String> starter = StarterRelease.ensure(settings.dataDir(), registry, releases,
                    new ActivationService(database.jdbi(), releases, clock), updater);
            RolloutEngine rolloutEngine = new ActivationService(database.jdbi(), releases, clock).rollouts();
            ActiveKnowledge knowledge = UpdateWiring.activeKnowledge(database, rolloutEngine);
            knowledge.refresh();
            RolloutDriver rollouts = RolloutDriver.start(rolloutEngine, knowledge, Duration.ofSeconds(1));
            RolloutScans rolloutScans = new RolloutScans(rolloutEngine);
            // Activations by other processes (a CLI rollback, another node) reach this engine within a second:
            // PostgreSQL notifies at once (polling is the fallback); SQLite is polled every second.
            KnowledgeFollower follower = KnowledgeFollower.start(database, knowledge,
                    database.kind() == Database.Kind.SQLITE ? Duration.ofSeconds(1) : Duration.ofSeconds(30));
            ScanJobs scanJobs = scans.isPresent() ? null : scanJobs(settings, options, database, knowledge, rolloutScans, clock);

            ServerMetrics metrics = new ServerMetrics();
            UpdateCommand.WatchPlan plan = UpdateCommand.watchPlan(settings, database, updater, knowledge,
                    result -> metrics.checked(Trigger.SCHEDULE, result));
            List<CheckScheduler.Job> jobs = new java.util.ArrayList<>(plan.jobs().stream().map(job -> new CheckScheduler.Job(job.kind(), job.cron(),
                    job.kind() instanceof CheckScheduler.Kind.FeedSync feed
                            ? metrics.timeJob("freshet.feed.sync.duration", "feed", feed.feed(), job.work())
                            : metrics.timeJob("freshet.update.check.duration", "trigger", "schedule", job.work()))).toList());
            if (scanJobs != null) {
                jobs.add(new CheckScheduler.Job("purge-scans", SCAN_PURGE_SCHEDULE, () -> {
                    int purged = scanJobs.purgeFinishedBefore(clock.instant().minus(options.keepScans()));
                    if (purged > 0) {
                        LOG.info("purged {} scan(s) finished more than {} ago", purged, options.keepScans());
                    }
                }));
            }

            AccessStore access = new AccessStore(database.jdbi(), clock);
            Optional<String> bootstrapKey = bootstrapAdminKey(access);
            Services services = new Services(database.jdbi(), releases, registry, new Overrides(database), knowledge, updater,
                    plan.rescan(), plan.feeds(), plan.feedSync(), plan.afterNewAdvisories(), access,
                    new TenantProjects(database.jdbi(), ProjectsCommand.monitor(database)),
                    scanJobs == null ? scans : Optional.of(new ScanJobsService(scanJobs)),
                    new ReadablePaths(options.readRoots()), metrics, clock);
            ApiServer server = new ApiServer(services, new ApiServer.Options(options.host(), options.port(), options.rateLimit(), options.maxInFlight(),
                    options.maxUploadBytes(), version, options.drainTimeout())).start();
            CheckScheduler scheduler = new CheckScheduler(database.dataSource(), jobs, Duration.ofSeconds(10));
            scheduler.start();
            return new FreshetService(database, knowledge, follower, rollouts, rolloutScans, scanJobs, scheduler, server, bootstrapKey, starter);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The persistent scan queue: workers claim jobs from the store, scanning with the knowledge snapshot of the moment. */
    private static ScanJobs scanJobs(Settings settings, Options options, Database database, ActiveKnowledge knowledge,
                                     RolloutScans rolloutScans, Clock clock) {
        ScanJobs.Options defaults = ScanJobs.Options.defaults();
        Engine engine = Engine.create(Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(30), true);
        ScanJobs jobs = new ScanJobs(database, knowledge.holder(), new EngineScanRunner(engine.scanner(), options.scanLimits().maxFindings(), rolloutScans),
                settings.dataDir().resolve("scans"), clock,
                new ScanJobs.Options(defaults.workers(), defaults.maxQueued(), options.scanLimits().maxPerTenant(), options.maxUploadBytes(),
                        defaults.maxExtractedBytes(), defaults.maxEntries(), defaults.lease(), options.readRoots()));
        jobs.start();
        return jobs;
    }

    private static String version() {
        try {
            return new Main.Version().getVersion()[0].replace("freshet ", "");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** With no valid global admin key in the store, makes one for tenant {@value #BOOTSTRAP_TENANT}: it is shown once. */
    private static Optional<String> bootstrapAdminKey(AccessStore access) {
        if (access.hasGlobalAdminKey()) {
            return Optional.empty();
        }
        if (access.tenant(BOOTSTRAP_TENANT).isEmpty()) {
            access.createTenant(BOOTSTRAP_TENANT);
        }
        return Optional.of(access.createKey(BOOTSTRAP_TENANT, Role.GLOBAL_ADMIN, "made on first start").secret());
    }

    int port() {
        return server.port();
    }

    /** The store this service runs on (tests hold its connections to see how the API answers a busy store). */
    Database database() {
        return database;
    }

    /** The admin key made on this start, if none existed. */
    Optional<String> bootstrapKey() {
        return bootstrapKey;
    }

    /** The starter release made on this start, if the store was empty. */
    Optional<String> starterRelease() {
        return starterRelease;
    }

    @Override
    public void close() {
        server.stop();
        if (jobs != null) {
            jobs.close(); // running scans finish (or go back to the queue for the next start)
        }
        scheduler.close();
        rollouts.close();
        rolloutScans.close();
        follower.close();
        knowledge.close();
        database.close();
        LOG.info("freshet serve stopped");
    }
}

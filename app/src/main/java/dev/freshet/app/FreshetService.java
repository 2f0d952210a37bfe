package dev.freshet.app;

import dev.freshet.app.server.ApiServer;
import dev.freshet.app.server.ReadablePaths;
import dev.freshet.app.server.ScanService;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.GenerationWorkers;
import dev.freshet.updates.rollout.Cohorts;
import dev.freshet.engine.scan.FindingCache;
import dev.freshet.updates.jobs.EngineScanRunner;
import dev.freshet.updates.rollout.RolloutDriver;
import dev.freshet.updates.rollout.RolloutScans;
import dev.freshet.updates.rollout.RolloutScores;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.app.server.ServerMetrics;
import dev.freshet.app.server.Services;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.access.TenantProjects;
import dev.freshet.updates.cluster.KnowledgeFollower;
import dev.freshet.updates.jobs.ScanJobs;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.schedule.WatchPlan;
import dev.freshet.updates.notify.Notifier;
import dev.freshet.updates.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code freshet serve} running: one store, the knowledge the engine applies (following the store),
 * the same scheduled jobs as {@code update watch}, and the HTTP API. Closing drains the requests in
 * flight, then stops the scheduler and the store.
 */
public final class FreshetService implements AutoCloseable {
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
    public record Options(String host, int port, List<Path> readRoots, int rateLimit, int maxInFlight, long maxUploadBytes, Duration drainTimeout,
                   Duration keepScans, ScanLimits scanLimits) {
        public Options(String host, int port, List<Path> readRoots, int rateLimit, int maxInFlight, long maxUploadBytes, Duration drainTimeout,
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

    /** Requests for custom rules made at once: generation runs the engine, and the machine's cores serve scans too. */
    static final int GENERATION_WORKERS = 2;

    private final Parts parts;
    private final KnowledgeFollower follower;
    private final RolloutDriver rollouts;
    private final RolloutScans rolloutScans;
    /** The persistent scan queue, or null when a stand-in serves the scan routes (tests). */
    private final ScanJobs jobs;
    private final CheckScheduler scheduler;
    private final ApiServer server;
    private final Optional<String> bootstrapKey;
    private final Optional<String> starterRelease;
    private final GenerationWorkers generation;

    private FreshetService(Parts parts, KnowledgeFollower follower, RolloutDriver rollouts, RolloutScans rolloutScans, ScanJobs jobs,
                           CheckScheduler scheduler, ApiServer server, Optional<String> bootstrapKey, Optional<String> starterRelease,
                           GenerationWorkers generation) {
        this.generation = generation;
        this.parts = parts;
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
     * Starts serving on {@code parts}, which the service then owns (closing it closes them, as does a
     * failed start). The admin key of a first start is made only once the port is bound and the
     * knowledge loaded, so a start that fails leaves none behind that nobody saw.
     *
     * @param scans a stand-in for the scan queue (tests); empty: the persistent queue in the store
     */
    public static FreshetService start(Parts parts, Options options, Optional<ScanService> scans) {
        try {
            Database database = parts.updates().database();
            Clock clock = parts.updates().clock();
            parts.syncConfiguredSources();
            Notifier notifier = parts.notifier(); // a bad [notifications] section stops the start before anything runs
            Optional<String> starter = StarterRelease.ensure(parts.settings().dataDir(), parts.updates().sources(), parts.updates().releases(),
                    parts.updates().activations(), parts.updater());
            ActiveKnowledge knowledge = parts.updates().knowledge();
            knowledge.refresh();
            ModelReleases models = parts.models(HttpAnomalyModel.NAME); // versions a file index kept move into their track once
            knowledge.refresh();
            RolloutScores scores = new RolloutScores(parts.updates().rollouts());
            RolloutDriver rollouts = RolloutDriver.start(parts.updates().rollouts(), knowledge, Duration.ofSeconds(1), scores::flush);
            RolloutScans rolloutScans = new RolloutScans(parts.updates().rollouts());
            // Activations by other processes (a CLI rollback, another node) reach this engine within a second:
            // PostgreSQL notifies at once (polling is the fallback); SQLite is polled every second.
            KnowledgeFollower follower = KnowledgeFollower.start(database, knowledge,
                    database.kind() == Database.Kind.SQLITE ? Duration.ofSeconds(1) : Duration.ofSeconds(30));
            ScanJobs scanJobs = scans.isPresent() ? null : scanJobs(parts, options, rolloutScans);

            ServerMetrics metrics = new ServerMetrics();
            WatchPlan plan = parts.watchPlan(result -> metrics.checked(Trigger.SCHEDULE, result));
            List<CheckScheduler.Job> jobs = new ArrayList<>(plan.jobs().stream().map(job -> new CheckScheduler.Job(job.kind(), job.cron(),
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

            Optional<ScanService> scanService = scanJobs == null ? scans : Optional.of(new ScanJobsService(scanJobs));
            GenerationWorkers generation = new GenerationWorkers(parts.customRules(), GENERATION_WORKERS,
                    (tenant, scan) -> followUpScan(knowledge, scanService, tenant, scan));
            Services services = new Services(database.jdbi(), parts.updates().releases(), parts.updates().activations(), parts.updates().sources(), parts.updates().overrides(), knowledge,
                    parts.updater(), plan.rescan(), plan.feeds(), plan.feedSync(), plan.afterNewAdvisories(), parts.updates().access(),
                    new TenantProjects(database.jdbi(), parts.updates().projects()), scanService,
                    new ReadablePaths(options.readRoots()), metrics, parts.community(), clock, scores,
                    parts.updates().credits(), parts.customRules(), generation, models);
            // Requests for custom rules accepted before a stop or a crash are made now (and charged once), off the start-up path.
            generation.start();
            ApiServer server;
            try {
                server = new ApiServer(services, new ApiServer.Options(options.host(), options.port(), options.rateLimit(), options.maxInFlight(),
                        options.maxUploadBytes(), parts.version(), options.drainTimeout())).start();
            } catch (RuntimeException e) {
                generation.close();
                if (scanJobs != null) {
                    scanJobs.close();
                }
                follower.close();
                rollouts.close();
                throw e;
            }
            Optional<String> bootstrapKey = bootstrapAdminKey(parts.updates().access());
            CheckScheduler scheduler = new CheckScheduler(database.dataSource(), jobs, Duration.ofSeconds(10));
            scheduler.start();
            notifier.start(metrics.notifications()); // closed with the parts
            return new FreshetService(parts, follower, rollouts, rolloutScans, scanJobs, scheduler, server, bootstrapKey, starter, generation);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /** Memory for the findings of unchanged files kept between scans (see {@link FindingCache}). */
    private static final long FINDING_CACHE_BYTES = 64L << 20;

    /** The persistent scan queue: workers claim jobs from the store, scanning with the knowledge snapshot of the moment. */
    private static ScanJobs scanJobs(Parts parts, Options options, RolloutScans rolloutScans) {
        ScanJobs.Options defaults = ScanJobs.Options.defaults();
        ScanJobs jobs = new ScanJobs(parts.updates().database(), parts.updates().knowledge().holder(),
                new EngineScanRunner(parts.engine().cachingScanner(new FindingCache(FINDING_CACHE_BYTES)),
                        options.scanLimits().maxFindings(), rolloutScans),
                parts.settings().dataDir().resolve("scans"), parts.updates().clock(),
                new ScanJobs.Options(defaults.workers(), defaults.maxQueued(), options.scanLimits().maxPerTenant(), options.maxUploadBytes(),
                        defaults.maxExtractedBytes(), defaults.maxEntries(), defaults.lease(), options.readRoots()));
        jobs.start();
        return jobs;
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

    /** The parts the service runs on. */
    Parts parts() {
        return parts;
    }

    public int port() {
        return server.port();
    }

    /** The store this service runs on (tests hold its connections to see how the API answers a busy store). */
    Database database() {
        return parts.updates().database();
    }

    /** The admin key made on this start, if none existed. */
    public Optional<String> bootstrapKey() {
        return bootstrapKey;
    }

    /** The starter release made on this start, if the store was empty. */
    public Optional<String> starterRelease() {
        return starterRelease;
    }

    /** The scan a request for custom rules came with, queued once its rules are live: its id, or why it was not queued. */
    private static String followUpScan(ActiveKnowledge knowledge, Optional<ScanService> scans, String tenant, CustomRules.FollowUpScan scan) {
        if (scans.isEmpty()) {
            return "not queued: scans are not available in this server";
        }
        knowledge.refresh(); // the scan uses the library just released, whatever the poll interval
        return switch (scans.get().submitPath(tenant, scan.directory(), Cohorts.Requested.valueOf(scan.cohort()))) {
            case ScanService.Submission.Accepted accepted -> accepted.scan().id();
            case ScanService.Submission.Rejected rejected -> "not queued: " + rejected.reason();
        };
    }

    @Override
    public void close() {
        server.stop();
        generation.close(); // a request not finished stays accepted in the store for the next start
        if (jobs != null) {
            jobs.close(); // running scans finish (or go back to the queue for the next start)
        }
        scheduler.close();
        rollouts.close();
        rolloutScans.close();
        follower.close();
        parts.close();
        LOG.info("freshet serve stopped");
    }
}

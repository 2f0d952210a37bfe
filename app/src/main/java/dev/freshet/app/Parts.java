package dev.freshet.app;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.feeds.Feeds;
import dev.freshet.updates.feeds.ResilientTransport;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.rollout.ReferenceCorpusCheck;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.schedule.WatchPlan;
import dev.freshet.updates.sources.SignedRepositoryFetcher;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The composition root: every part Freshet runs with, built once from the settings, the open store
 * and one clock. Commands and {@code serve} take their parts from here; nothing here writes to the
 * store (syncing the configured sources is the explicit step {@link #syncConfiguredSources}).
 */
public final class Parts implements AutoCloseable {
    /** Compiled rule documents kept between snapshots: a large release and its successor fit. */
    private static final int COMPILED_DOCUMENTS_CACHED = 100_000;

    private final Settings settings;
    private final Database database;
    private final Clock clock;
    private final String version;
    private final Map<String, String> environment;
    private final Engine engine;
    private final RuleCompiler compiler;
    private final ReleaseStore releases;
    private final SourceRegistry sources;
    private final Overrides overrides;
    private final PendingUpdates pending;
    private final AdvisoryStore advisories;
    private final FeedSync feedSync;
    private final ProjectMonitor projects;
    private final AccessStore access;
    private final ActiveKnowledge knowledge;
    /** Built on first use: it reads the update policy and the gate's corpora, which only update work needs. */
    private Updater updater;

    private Parts(Settings settings, Database database, Engine engine, Clock clock, Map<String, String> environment) {
        this.settings = settings;
        this.database = database;
        this.clock = clock;
        this.environment = environment;
        this.version = FreshetVersion.current();
        this.engine = engine;
        this.compiler = new RuleCompiler(engine.loader(), COMPILED_DOCUMENTS_CACHED);
        this.releases = new ReleaseStore(database.jdbi(), clock);
        this.sources = new SourceRegistry(database.jdbi(), clock);
        this.overrides = new Overrides(database.jdbi(), clock);
        this.pending = new PendingUpdates(database.jdbi(), clock);
        this.advisories = new AdvisoryStore(database.jdbi());
        this.feedSync = new FeedSync(advisories, clock);
        this.projects = new ProjectMonitor(database.jdbi(), engine.scanner(), clock);
        this.access = new AccessStore(database.jdbi(), clock);
        this.knowledge = new ActiveKnowledge(releases, overrides, compiler, new KnowledgeHolder(Knowledge.EMPTY));
    }

    /** Opens the store the settings name and builds the parts on it. */
    public static Parts open(Settings settings, Engine engine, Clock clock, Map<String, String> environment) {
        Database database;
        try {
            database = Database.open(settings.storeLocation());
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        return new Parts(settings, database, engine, clock, environment);
    }

    /** The parts of the process: a new engine, the system clock and the process environment. */
    public static Parts open(Settings settings) {
        return open(settings, Engine.create(), Clock.systemUTC(), System.getenv());
    }

    /** Brings the sources declared in {@code freshet.toml} into the store; run before work that uses sources. */
    public void syncConfiguredSources() {
        ConfiguredSources.sync(settings, sources);
    }

    public synchronized Updater updater() {
        if (updater == null) {
            UpdatePolicy policy = policy();
            Path data = settings.dataDir();
            SourceFetchers fetchers = new SourceFetchers(data.resolve("git"),
                    source -> new SignedRepositoryFetcher(source, data.resolve("trust").resolve(source.name())),
                    advisories, projects::watchedEcosystems);
            ReferenceCorpusCheck check = new ReferenceCorpusCheck(compiler, engine.scanner(),
                    Optional.ofNullable(settings.gate().referenceCorpus()).map(Path::of), policy.rollback());
            updater = new Updater(sources, fetchers, new ValidationGate(engine.parser(), gatePolicy()), releases, policy, check,
                    pending, clock);
        }
        return updater;
    }

    /** The advisory feeds: endpoints from the flags, then the environment, then {@code freshet.toml}, then the public feeds. */
    public List<Feed> feeds(FeedEndpoints flags) {
        Feeds.Settings feedSettings = flags.resolve(environment, settings.feeds());
        return Feeds.create(feedSettings, ResilientTransport.create(Feeds.policies(feedSettings)), clock);
    }

    /** What runs on schedules ({@code update watch}, {@code serve}); {@code observer} hears of every check. */
    public WatchPlan watchPlan(Consumer<Updater.CheckResult> observer) {
        return WatchPlan.of(new WatchPlan.Parts(sources, updater(), knowledge, projects, feedSync, clock),
                feeds(new FeedEndpoints()), settings.feeds().schedule(), observer);
    }

    UpdatePolicy policy() {
        if (!Files.exists(settings.policyFile())) {
            return UpdatePolicy.DEFAULT;
        }
        try {
            return UpdatePolicy.read(settings.policyFile());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    GatePolicy gatePolicy() {
        Settings.Gate gate = settings.gate();
        GatePolicy policy = GatePolicy.defaults(version);
        if (gate.referenceCorpus() != null) {
            policy = policy.withReferenceCorpus(existingDirectory(gate.referenceCorpus()),
                    gate.timeBudgetMillis() == null ? policy.timeBudgetPerRule() : Duration.ofMillis(gate.timeBudgetMillis()));
        }
        if (gate.cleanCorpus() != null) {
            policy = policy.withCleanCorpus(existingDirectory(gate.cleanCorpus()), gate.noiseLimit() == null ? 0 : gate.noiseLimit());
        }
        return policy;
    }

    private static Path existingDirectory(String path) {
        Path dir = Path.of(path);
        if (!Files.isDirectory(dir)) {
            throw new UserError("freshet.toml: [gate] corpus " + dir + " is not a directory");
        }
        return dir;
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    public String version() {
        return version;
    }

    public Engine engine() {
        return engine;
    }

    public RuleCompiler compiler() {
        return compiler;
    }

    public ReleaseStore releases() {
        return releases;
    }

    public SourceRegistry sources() {
        return sources;
    }

    public Overrides overrides() {
        return overrides;
    }

    public PendingUpdates pending() {
        return pending;
    }

    public AdvisoryStore advisories() {
        return advisories;
    }

    public FeedSync feedSync() {
        return feedSync;
    }

    public ProjectMonitor projects() {
        return projects;
    }

    public AccessStore access() {
        return access;
    }

    /** The engine's view of the active release (overrides applied); call {@code refresh()} to load it. */
    public ActiveKnowledge knowledge() {
        return knowledge;
    }

    @Override
    public void close() {
        knowledge.close();
        database.close();
    }
}

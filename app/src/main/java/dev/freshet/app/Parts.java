package dev.freshet.app;

import dev.freshet.updates.UpdateParts;
import dev.freshet.updates.community.Community;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.billing.ModelClass;
import dev.freshet.updates.generation.ChatSettings;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.Generators;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.Feeds;
import dev.freshet.updates.feeds.ResilientTransport;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.learning.HttpAnomalyLearning;
import dev.freshet.updates.learning.ModelFeedback;
import dev.freshet.updates.learning.ModelLearningJob;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.learning.ModelSources;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.learning.ModelStore;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.notify.Notifier;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.rollout.ReferenceCorpusCheck;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.schedule.CheckScheduler;
import dev.freshet.updates.schedule.WatchPlan;
import dev.freshet.updates.generation.ResearchMaintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every part Freshet runs with, built once from the settings, the open store
 * and one clock. Commands and {@code serve} take their parts from here; nothing here writes to the
 * store (syncing the configured sources is the explicit step {@link #syncConfiguredSources}).
 */
public final class Parts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Parts.class);
    private final Settings settings;
    private final Engine engine;
    private final Map<String, String> environment;
    private final String version;
    private final UpdateParts parts;
    /** Built on first use: it reads the update policy and the gate's corpora, which only update work needs. */
    private Updater updater;
    /** Built on first use, on the updater's gate and the policy's [feedback]. */
    private Community community;
    /** Built on first use, from the policy's [notifications]. */
    private Notifier notifier;
    /** Built on first use, with the default tenant provisioned: only custom-rule work needs it. */
    private CustomRules customRules;
    /** Credits a fresh store's default tenant starts with unless {@code [credits] starting_grant} says otherwise. */
    static final long DEFAULT_STARTING_GRANT = 100;

    private Parts(Settings settings, Database database, Engine engine, Clock clock, Map<String, String> environment) {
        this.settings = settings;
        this.engine = engine;
        this.environment = environment;
        this.version = FreshetVersion.current();
        this.parts = UpdateParts.on(database, clock, new UpdateParts.EngineParts(engine.parser(), engine.loader(), engine.scanner()));
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
        ConfiguredSources.sync(settings, parts.sources());
    }

    public synchronized Updater updater() {
        if (updater == null) {
            UpdatePolicy policy = policy();
            ReferenceCorpusCheck check = new ReferenceCorpusCheck(parts.compiler(), engine.scanner(),
                    Optional.ofNullable(settings.gate().referenceCorpus()).map(Path::of), policy.rollback());
            updater = parts.updater(settings.dataDir(), gatePolicy(), policy, check);
        }
        return updater;
    }

    /** Feedback, rule health, probation, reputation and contributions, on the update pipeline's gate. */
    public synchronized Community community() {
        if (community == null) {
            community = parts.community(settings.dataDir(), updater(), policy().feedback());
        }
        return community;
    }

    /** The notifier for the policy's {@code [notifications]}, secrets from the environment; not started. */
    public synchronized Notifier notifier() {
        if (notifier == null) {
            try {
                notifier = parts.notifier(policy().notifications(), environment, (SSLSocketFactory) SSLSocketFactory.getDefault());
            } catch (IllegalArgumentException e) {
                throw new UserError(settings.policyFile() + ": " + e.getMessage());
            }
        }
        return notifier;

    }

    /**
     * Custom rules on demand: the offline generator, and a chat-completions model per class when
     * {@code [generation]} configures one; drafts go through the gate's budgets, and a tenant's library
     * goes out through the rollout engine with the policy's plan. The default tenant is
     * put on the standard plan with its starting grant the first time.
     */
    public synchronized CustomRules customRules() {
        if (customRules == null) {
            Settings.CreditConfig config = settings.credits();
            Fees fees = config.offlineSuccessFee() == null ? Fees.DEFAULT : Fees.DEFAULT.withOfflineSuccess(config.offlineSuccessFee());
            customRules = parts.customRules(gatePolicy(), generators(), fees, () -> policy().rolloutPlan());
            if (parts.access().tenant(FreshetService.BOOTSTRAP_TENANT).isEmpty()) {
                parts.access().createTenant(FreshetService.BOOTSTRAP_TENANT);
            }
            parts.credits().provision(FreshetService.BOOTSTRAP_TENANT,
                    config.startingGrant() == null ? DEFAULT_STARTING_GRANT : config.startingGrant());
        }
        return customRules;
    }

    private Generators generators() {
        Settings.Generation generation = settings.generation();
        if (generation.url() == null || generation.url().isBlank()) {
            return new Generators(Optional.empty());
        }
        Map<ModelClass, String> models = new EnumMap<>(ModelClass.class);
        Optional.ofNullable(generation.standardModel()).ifPresent(m -> models.put(ModelClass.STANDARD, m));
        Optional.ofNullable(generation.proModel()).ifPresent(m -> models.put(ModelClass.PRO, m));
        Optional.ofNullable(generation.maxModel()).ifPresent(m -> models.put(ModelClass.MAX, m));
        try {
            return new Generators(Optional.of(new ChatSettings(URI.create(generation.url()),
                    Optional.ofNullable(environment.get("FRESHET_LLM_API_KEY")).filter(k -> !k.isBlank()), models,
                    Duration.ofSeconds(generation.timeoutSeconds() == null ? 20 : generation.timeoutSeconds()))));
        } catch (IllegalArgumentException e) {
            throw new UserError("[generation] " + e.getMessage());
        }
    }

    /** The advisory feeds: endpoints from the flags, then the environment, then {@code freshet.toml}, then the public feeds. */
    public List<Feed> feeds(FeedEndpoints flags) {
        Feeds.Settings feedSettings = flags.resolve(environment, settings.feeds());
        return Feeds.create(feedSettings, ResilientTransport.create(Feeds.policies(feedSettings)), parts.clock());
    }

    /** What runs on schedules ({@code update watch}, {@code serve}); {@code observer} hears of every check. */
    public WatchPlan watchPlan(Consumer<Updater.CheckResult> observer) {
        WatchPlan plan = WatchPlan.of(new WatchPlan.Parts(parts.sources(), updater(), parts.knowledge(), parts.projects(), parts.feedSync(),
                        community(), parts.clock()),
                feeds(new FeedEndpoints()), settings.feeds().schedule(), observer)
                .with(new CheckScheduler.Job("research_maintenance", ResearchMaintenance.SCHEDULE, () -> {
                    try {
                        research().run(ResearchMaintenance.DEFAULT_WINDOW, policy().rolloutPlan());
                    } catch (IOException e) {
                        LOG.warn("research_maintenance failed; it runs again next week or with 'freshet research run'", e);
                    }
                }));
        WatchPlan withModels = plan.with(modelPullJob(HttpAnomalyModel.NAME));
        return learningJob().map(job -> withModels.with(new CheckScheduler.Job(job.name(), settings.learning().scheduleOrDefault(), job)))
                .orElse(withModels);
    }

    /** Hourly: the versions model {@code name}'s sources offer, fetched, verified and gated; nothing to do without sources. */
    private CheckScheduler.Job modelPullJob(String name) {
        return new CheckScheduler.Job("pull-" + name, SourceSettings.HOURLY, () -> {
            try {
                List<ModelSources.Pulled> pulled = modelSources(name, learning(name, learningSettings(), policy().rolloutPlan())).pull();
                if (pulled.stream().anyMatch(source -> source.status() == ModelSources.Status.CHANGED)) {
                    parts.knowledge().refresh();
                }
            } catch (IOException e) {
                LOG.warn("pulling {} versions from its sources failed; the next hourly pull tries again", name, e);
            }
        });
    }

    /** The http-anomaly model's scheduled learning, when {@code [learning]} names logs to learn from. */
    Optional<ModelLearningJob> learningJob() {
        Settings.Learning learning = settings.learning();
        if (learning.logFiles().isEmpty()) {
            return Optional.empty();
        }
        TrafficFormat format;
        try {
            format = TrafficFormat.parse(learning.format() == null ? "combined" : learning.format());
        } catch (IllegalArgumentException e) {
            throw new UserError("freshet.toml: [learning] format: " + e.getMessage());
        }
        String name = HttpAnomalyModel.NAME;
        return Optional.of(new ModelLearningJob(learning(name, learningSettings(), policy().rolloutPlan()), models(name),
                learning.logFiles(), format, learning.keepOrDefault(), parts.activations().events(), parts.clock(),
                parts.knowledge()::refresh));
    }

    /**
     * The versions of model {@code name}. The versions a file index kept before model versions were
     * releases move into the track the first time (nothing is lost: see {@link ModelReleases#importFiles}).
     */
    public ModelReleases models(String name) {
        ModelReleases versions = parts.models(name);
        try {
            versions.importFiles(modelFiles(name).directory()).forEach(problem -> LOG.warn("model import: left out {}", problem));
        } catch (IOException e) {
            throw new UserError("cannot import the model versions under " + modelFiles(name).directory() + ": " + e.getMessage());
        }
        return versions;
    }

    /** The learning data of model {@code name} (validation set, payloads, cursors, quarantine) under the data directory. */
    public ModelStore modelFiles(String name) {
        return new ModelStore(settings.dataDir(), name);
    }

    /** Training and learning of model {@code name} with the gate's settings of {@code [learning]}, rolled out by {@code plan}. */
    public HttpAnomalyLearning learning(String name, HttpAnomalyLearning.Settings learning, Optional<RolloutPlan> plan) {
        return new HttpAnomalyLearning(modelFiles(name), models(name), learning, plan, parts.clock(),
                new ModelFeedback(parts.database().jdbi(), parts.clock()));
    }

    /** The sources of model {@code name}'s versions; a version they offer is gated by {@code learning}. */
    public ModelSources modelSources(String name, HttpAnomalyLearning learning) {
        return new ModelSources(parts.sources(), parts.fetchers(settings.dataDir()), models(name), learning, parts.activations().events(),
                parts.clock());
    }

    /** The learning settings {@code [learning]} gives, on the defaults. */
    public HttpAnomalyLearning.Settings learningSettings() {
        Settings.Learning config = settings.learning();
        HttpAnomalyLearning.Settings defaults = HttpAnomalyLearning.Settings.defaults();
        return defaults.withSamples(Optional.ofNullable(config.minSamples()).orElse(defaults.minSamples()),
                        Optional.ofNullable(config.maxSamples()).orElse(defaults.maxSamples()))
                .withLimits(Optional.ofNullable(config.maxFalsePositiveRate()).orElse(defaults.maxFalsePositiveRate()),
                        Optional.ofNullable(config.minDetectionRate()).orElse(defaults.minDetectionRate()));
    }

    /** The research job: recent CVEs into global rules, made like custom rules and rolled out with the policy's plan. */
    public ResearchMaintenance research() {
        return parts.research(gatePolicy(), generators());
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

    public String version() {
        return version;
    }

    public Engine engine() {
        return engine;
    }

    /** The update pipeline's parts on the store. */
    public UpdateParts updates() {
        return parts;
    }

    @Override
    public void close() {
        if (notifier != null) {
            notifier.close();
        }
        parts.knowledge().close();
        parts.database().close();
    }
}

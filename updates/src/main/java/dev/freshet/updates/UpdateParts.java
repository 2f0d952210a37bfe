package dev.freshet.updates;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.engine.parse.SourceParser;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.FindingCache;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.community.Community;
import dev.freshet.updates.community.FeedbackPolicy;
import dev.freshet.updates.community.RuleFeedbackSignal;
import dev.freshet.updates.billing.Credits;
import dev.freshet.updates.billing.Fees;
import dev.freshet.updates.generation.CustomRules;
import dev.freshet.updates.generation.GenerationLoop;
import dev.freshet.updates.generation.Generators;
import dev.freshet.updates.generation.ResearchMaintenance;
import dev.freshet.updates.generation.RuleValidator;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SignedRepositoryFetcher;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.notify.NotificationSettings;
import dev.freshet.updates.notify.NotificationStore;
import dev.freshet.updates.notify.Notifier;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * The update pipeline's parts on one store, each built once: the stores, the compiler and its
 * cache, the running knowledge and the updater. The application's composition root builds them
 * from its settings; tests build the very same graph for each kind of store.
 *
 * @param engine the engine's parts every part that parses or scans shares
 */
public record UpdateParts(Database database, Clock clock, EngineParts engine, RuleCompiler compiler, ReleaseStore releases,
                          SourceRegistry sources, Overrides overrides, PendingUpdates pending, AdvisoryStore advisories,
                          FeedSync feedSync, ProjectMonitor projects, AccessStore access, ActiveKnowledge knowledge,
                          ActivationService activations, Credits credits) {
    /** Compiled rule documents kept between snapshots: a large release and its successor fit. */
    public static final int COMPILED_DOCUMENTS_CACHED = 100_000;

    /** Memory for what the code rules found in watched projects' unchanged files, so a rescan runs only changed rules on them. */
    public static final long PROJECT_FINDINGS_CACHED_BYTES = 64L << 20;

    /** One parser (one pool of native grammars), the rule loader on it, and the scanner for watched projects and checks. */
    public record EngineParts(SourceParser parser, RuleLoader loader, Scanner scanner) {
    }

    public static UpdateParts on(Database database, Clock clock, EngineParts engine) {
        ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
        Overrides overrides = new Overrides(database.jdbi(), clock);
        RuleCompiler compiler = new RuleCompiler(engine.loader(), COMPILED_DOCUMENTS_CACHED);
        AdvisoryStore advisories = new AdvisoryStore(database.jdbi());
        ActivationService activations = new ActivationService(database.jdbi(), releases, clock, new RuleFeedbackSignal());
        return new UpdateParts(database, clock, engine, compiler, releases, new SourceRegistry(database.jdbi(), clock), overrides,
                new PendingUpdates(database.jdbi(), clock), advisories, new FeedSync(advisories, clock),
                new ProjectMonitor(database.jdbi(), engine.scanner().caching(new FindingCache(PROJECT_FINDINGS_CACHED_BYTES)), clock), new AccessStore(database.jdbi(), clock),
                new ActiveKnowledge(releases, overrides, compiler, new KnowledgeHolder(Knowledge.EMPTY), activations.rollouts()),
                activations, new Credits(database.jdbi(), clock));
    }

    /** The versions of model {@code name}: releases on its track {@code models/<name>}. */
    public ModelReleases models(String name) {
        return new ModelReleases(database.jdbi(), releases, activations, name);
    }

    /** The rollout engine on this store; the running knowledge serves its candidates. */
    public RolloutEngine rollouts() {
        return activations.rollouts();
    }

    /**
     * The notifier sending this store's event log to the channels {@code settings} name, with their
     * secrets from {@code environment}; e-mail uses {@code tls} for its connections.
     */
    public Notifier notifier(NotificationSettings settings, Map<String, String> environment, SSLSocketFactory tls) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        return new Notifier(settings.channels(environment, http, clock, tls), settings.routing(), new NotificationStore(database.jdbi()),
                clock, Notifier.Backoff.DEFAULT, Notifier.POLL);
    }

    /**
     * Custom rules on demand over these parts: drafts validated with the shared compiler and scanner and
     * through a gate of {@code gate}'s budgets, billed at {@code fees}.
     */
    public CustomRules customRules(GatePolicy gate, Generators generators, Fees fees) {
        return customRules(gate, generators, fees, Optional::empty);
    }

    /** Custom rules whose tenant libraries go out through the rollout engine with {@code plan} (empty: live at once). */
    public CustomRules customRules(GatePolicy gate, Generators generators, Fees fees, Supplier<Optional<RolloutPlan>> plan) {
        return new CustomRules(database.jdbi(), credits, generationLoop(gate), generators, fees, releases, rollouts(), plan, clock);
    }

    /** The research job over these parts: CVEs from the stored feeds, rules made as custom rules are, out through the rollout engine. */
    public ResearchMaintenance research(GatePolicy gate, Generators generators) {
        return new ResearchMaintenance(database.jdbi(), advisories, generationLoop(gate), generators, releases, rollouts(), clock);
    }

    /** Drafts validated with the shared compiler and scanner and through a gate of {@code gate}'s budgets. */
    private GenerationLoop generationLoop(GatePolicy gate) {
        return new GenerationLoop(new RuleValidator(compiler, engine.scanner(), new ValidationGate(compiler, engine.parser(), gate)));
    }

    /**
     * The updater over these parts: git and signed sources cached under {@code dataDir}, the gate on
     * the shared parser and compiler, and {@code check} after each activation.
     */
    public Updater updater(Path dataDir, GatePolicy gate, UpdatePolicy policy, Updater.PostActivationCheck check) {
        return new Updater(sources, fetchers(dataDir), new ValidationGate(compiler, engine.parser(), gate), releases, activations, policy, check, pending, clock);
    }

    /** The fetchers of every kind of source: git clones and signed repositories' trusted metadata under {@code dataDir}. */
    public SourceFetchers fetchers(Path dataDir) {
        return new SourceFetchers(dataDir.resolve("git"),
                source -> new SignedRepositoryFetcher(source, dataDir.resolve("trust").resolve(source.name())),
                advisories, projects::watchedEcosystems);
    }

    /** Community learning over these parts and {@code updater} (its gate, its releases); the community source lives under {@code dataDir}. */
    public Community community(Path dataDir, Updater updater, FeedbackPolicy policy) {
        return Community.on(database.jdbi(), releases, sources, updater, policy, dataDir, clock);
    }
}

package dev.freshet.app;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.knowledge.KnowledgeHolder;
import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.projects.ProjectMonitor;
import dev.freshet.updates.release.Overrides;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.PendingUpdates;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.sources.SignedRepositoryFetcher;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Builds the update pipeline from settings and an open store: explicit wiring, no container. */
final class UpdateWiring {
    private UpdateWiring() {
    }

    static UpdatePolicy policy(Settings settings) {
        if (!Files.exists(settings.policyFile())) {
            return UpdatePolicy.DEFAULT;
        }
        try {
            return UpdatePolicy.read(settings.policyFile());
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    static SourceFetchers fetchers(Settings settings, Database database) {
        Path data = settings.dataDir();
        ProjectMonitor projects = ProjectsCommand.monitor(database);
        return new SourceFetchers(data.resolve("git"),
                source -> new SignedRepositoryFetcher(source, data.resolve("trust").resolve(source.name())),
                new AdvisoryStore(database.jdbi()), projects::watchedEcosystems);
    }

    /** The engine's view of the active release (overrides applied), compiled on refresh and cached by rule. */
    static ActiveKnowledge activeKnowledge(Database database) {
        return activeKnowledge(database, null);
    }

    /** Knowledge that follows the store, with the candidate of the rollout under way when {@code rollouts} is given. */
    static ActiveKnowledge activeKnowledge(Database database, RolloutEngine rollouts) {
        Engine engine = Engine.create(Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(30), true);
        return new ActiveKnowledge(new ReleaseStore(database), new Overrides(database),
                new RuleCompiler(engine.loader(), 100_000), new KnowledgeHolder(Knowledge.EMPTY), rollouts);
    }

    static Updater updater(Settings settings, Database database, String engineVersion) {
        ReleaseStore releases = new ReleaseStore(database);
        Engine engine = Engine.create(Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(30), true);
        RuleCompiler compiler = new RuleCompiler(engine.loader(), 10_000);
        SourceRegistry registry = new SourceRegistry(database.jdbi(), Clock.systemUTC());
        ConfiguredSources.sync(settings, registry);
        UpdatePolicy policy = policy(settings);
        return new Updater(registry, fetchers(settings, database), new ValidationGate(gatePolicy(settings.gate(), engineVersion)), releases,
                new ActivationService(database.jdbi(), releases, Clock.systemUTC()), policy, release -> postActivationProblem(engine, compiler, release, settings.gate(), policy),
                new PendingUpdates(database.jdbi(), Clock.systemUTC()), Clock.systemUTC());
    }

    static GatePolicy gatePolicy(Settings.Gate gate, String engineVersion) {
        GatePolicy policy = GatePolicy.defaults(engineVersion);
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

    /**
     * The post-activation check: the released rules must build a complete snapshot, and a scan of
     * the reference corpus with it must stay within the policy's error count and time.
     */
    private static Optional<String> postActivationProblem(Engine engine, RuleCompiler compiler, Release release,
                                                          Settings.Gate gate, UpdatePolicy policy) {
        var compiled = compiler.compile(release.id(), ActiveKnowledge.documents(release.rules()));
        if (!compiled.problems().isEmpty()) {
            return Optional.of(compiled.problems().size() + " rule(s) do not compile, first: " + compiled.problems().get(0));
        }
        if (gate.referenceCorpus() == null) {
            return Optional.empty();
        }
        try {
            var files = new dev.freshet.engine.scan.SourceFiles().collect(java.util.List.of(Path.of(gate.referenceCorpus()))).files();
            var result = engine.scanner().scan(compiled.knowledge().rules(), files, Path.of(gate.referenceCorpus()), n -> { });
            long errors = result.problems().stream()
                    .filter(p -> p.kind() == dev.freshet.engine.scan.ScanProblem.Kind.RULE_ERROR
                            || p.kind() == dev.freshet.engine.scan.ScanProblem.Kind.TIMEOUT).count();
            Duration took = Duration.ofNanos(result.elapsedNanos());
            if (errors > policy.rollback().maxScanErrors()) {
                return Optional.of(errors + " scan error(s) on the reference corpus");
            }
            if (took.compareTo(policy.rollback().maxScanDuration()) > 0) {
                return Optional.of("scanning the reference corpus took " + took.toSeconds() + " s, over " + policy.rollback().maxScanSeconds() + " s");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read the reference corpus: " + e.getMessage());
        }
    }
}

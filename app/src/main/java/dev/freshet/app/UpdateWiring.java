package dev.freshet.app;

import dev.freshet.engine.knowledge.RuleCompiler;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.gate.ValidationGate;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
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

    static SourceFetchers fetchers(Settings settings) {
        Path data = settings.dataDir();
        return new SourceFetchers(data.resolve("git"),
                source -> new SignedRepositoryFetcher(source, data.resolve("trust").resolve(source.name())));
    }

    static Updater updater(Settings settings, Database database, String engineVersion) {
        ReleaseStore releases = new ReleaseStore(database);
        Engine engine = Engine.create(1, Duration.ofSeconds(30), true);
        RuleCompiler compiler = new RuleCompiler(engine.loader(), 10_000);
        SourceRegistry registry = new SourceRegistry(database.jdbi(), Clock.systemUTC());
        ConfiguredSources.sync(settings, registry);
        return new Updater(registry, fetchers(settings),
                new ValidationGate(GatePolicy.defaults(engineVersion)), releases, policy(settings),
                release -> compileProblem(compiler, release), new PendingUpdates(database.jdbi(), Clock.systemUTC()), Clock.systemUTC());
    }

    /** The post-activation check: the released rules must build a complete snapshot. */
    private static Optional<String> compileProblem(RuleCompiler compiler, Release release) {
        var result = compiler.compile(release.id(), Knowledge.documents(release));
        return result.problems().isEmpty() ? Optional.empty()
                : Optional.of(result.problems().size() + " rule(s) do not compile, first: " + result.problems().get(0));
    }
}

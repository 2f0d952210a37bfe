package dev.freshet.updates;

import dev.freshet.engine.parse.TreeSitterParser;
import dev.freshet.engine.pattern.PatternCompiler;
import dev.freshet.engine.rules.RuleLoader;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.updates.gate.GatePolicy;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.rollout.Updater;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The production parts ({@link UpdateParts}) on a fresh store of the kind a test runs on, for each
 * test: register it with {@code @RegisterExtension final TestParts parts = new TestParts(() -> kind);}
 * in a {@code @ParameterizedClass @EnumSource(Database.Kind.class)} test. The post-activation check
 * passes unless a test makes it fail.
 */
public final class TestParts implements BeforeEachCallback, AfterEachCallback {
    /** One parser for the test JVM, as one process has one. */
    private static final TreeSitterParser PARSER = new TreeSitterParser();
    private static final UpdateParts.EngineParts ENGINE = new UpdateParts.EngineParts(PARSER,
            new RuleLoader(new PatternCompiler(PARSER)), new Scanner(PARSER, Scanner.Options.defaults()));

    private final Supplier<Database.Kind> kind;
    private final Clock clock;
    private final AtomicReference<Optional<String>> postActivationProblem = new AtomicReference<>(Optional.empty());
    private Path dir;
    private UpdateParts parts;

    public TestParts(Supplier<Database.Kind> kind) {
        this(kind, Clock.systemUTC());
    }

    /** Parts that tell time by {@code clock}, for tests that move it. */
    public TestParts(Supplier<Database.Kind> kind, Clock clock) {
        this.kind = kind;
        this.clock = clock;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("freshet-parts-");
        parts = UpdateParts.on(Database.open(TestStores.fresh(kind.get(), dir)), clock, ENGINE);
        postActivationProblem.set(Optional.empty());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        parts.knowledge().close();
        parts.database().close();
        TestStores.dropMade();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public UpdateParts get() {
        return parts;
    }

    /** A directory of this test's own, removed after it. */
    public Path dir() {
        return dir;
    }

    /** The production updater on these parts, with a one-thread gate and this test's post-activation check. */
    public Updater updater(UpdatePolicy policy) {
        return parts.updater(dir.resolve("data"), GatePolicy.defaults("0.1.0").withThreads(1), policy,
                release -> postActivationProblem.get());
    }

    /** From now on the post-activation check finds {@code problem}. */
    public void failPostActivationCheck(String problem) {
        postActivationProblem.set(Optional.of(problem));
    }
}

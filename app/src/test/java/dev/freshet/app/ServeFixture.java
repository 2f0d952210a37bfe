package dev.freshet.app;

import dev.freshet.app.bench.OfflineConfig;
import dev.freshet.app.server.ApiServer;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SourceSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real {@code freshet serve} in this JVM: a fresh data directory, every feed pointed at a closed
 * loopback port (so nothing leaves the machine and every feed is unreachable), a random port.
 */
final class ServeFixture {
    private ServeFixture() {
    }

    static Path config(Path dir) throws IOException {
        return OfflineConfig.write(dir);
    }

    static FreshetService start(Path dir, Path readRoot, int rateLimit, FakeScans scans) throws IOException {
        Settings settings = Settings.resolve(config(dir), null, Map.of());
        return start(Parts.open(settings), readRoot, rateLimit, scans);
    }

    /** Serves on parts a test opened itself (its own environment, say). */
    static FreshetService start(Parts parts, Path readRoot, int rateLimit, FakeScans scans) {
        return FreshetService.start(parts, new FreshetService.Options("127.0.0.1", 0, List.of(readRoot), rateLimit,
                ApiServer.Options.DEFAULT_MAX_IN_FLIGHT,
                64 * 1024, Duration.ofSeconds(10), Duration.ofDays(7)), Optional.ofNullable(scans));
    }

    /** A local rule source with one rule (no pickle.loads), registered on the parts: the next check releases it. */
    static void addPickleRuleSource(Parts parts, Path dir) throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("no-pickle.yaml"), """
                rules:
                  - id: no-pickle-loads
                    message: pickle.loads of untrusted data
                    severity: ERROR
                    languages: [python]
                    pattern: pickle.loads(...)
                """);
        parts.updates().sources().add(new LocalDirectorySource("mine", mine, SourceSettings.defaults()));
    }
}

package dev.freshet.app;

import dev.freshet.app.bench.OfflineConfig;
import dev.freshet.app.server.ApiServer;
import java.io.IOException;
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
        return FreshetService.start(Parts.open(settings), new FreshetService.Options("127.0.0.1", 0, List.of(readRoot), rateLimit,
                ApiServer.Options.DEFAULT_MAX_IN_FLIGHT,
                64 * 1024, Duration.ofSeconds(10), Duration.ofDays(7)), Optional.ofNullable(scans));
    }
}

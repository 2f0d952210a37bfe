package dev.freshet.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code freshet.toml} for a server that must not leave the machine: data under {@code data/}
 * beside it, every feed pointed at a closed loopback port (so each is unreachable, and shown stale).
 */
public final class OfflineConfig {
    private OfflineConfig() {
    }

    /** Writes {@code dir/freshet.toml} unless it exists; returns its path. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path config = dir.resolve("freshet.toml");
        if (!Files.exists(config)) {
            Files.writeString(config, """
                    data_dir = "data"

                    [feeds]
                    nvd_url = "http://127.0.0.1:9/nvd"
                    kev_url = "http://127.0.0.1:9/kev.json"
                    osv_url = "http://127.0.0.1:9/osv"
                    ghsa_url = "http://127.0.0.1:9/graphql"
                    osv_ecosystems = ["PyPI"]
                    """);
        }
        return config;
    }
}

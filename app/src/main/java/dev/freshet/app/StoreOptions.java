package dev.freshet.app;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that reads or changes Freshet's state shares. */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "DIR", description = "State directory (default: $FRESHET_DATA_DIR, freshet.toml, ~/.freshet).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $FRESHET_CONFIG or ./freshet.toml).")
    Path config;

    @Mixin
    JsonOutput output;

    Settings settings() {
        return Settings.resolve(config, dataDir, System.getenv());
    }

    /** Opens the store and builds Freshet's parts on it (the caller closes them). */
    Parts parts() {
        return Parts.open(settings());
    }

    boolean json() {
        return output.enabled();
    }

    /** Prints {@code value} as JSON when asked to, otherwise the text. */
    void print(Object value, String text) {
        output.print(value, text);
    }
}

package dev.freshet.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that reads or changes Freshet's state shares. */
final class StoreOptions {
    /** Built on first use, not when the command line is set up: Jackson takes a tenth of a second to start. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    @Option(names = "--data-dir", paramLabel = "DIR", description = "State directory (default: $FRESHET_DATA_DIR, freshet.toml, ~/.freshet).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $FRESHET_CONFIG or ./freshet.toml).")
    Path config;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    Settings settings() {
        return Settings.resolve(config, dataDir, System.getenv());
    }

    Database open() {
        try {
            return Database.open(settings().storeLocation());
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Prints {@code value} as JSON when asked to, otherwise the text. */
    void print(Object value, String text) {
        if (json) {
            try {
                System.out.println(Json.MAPPER.writeValueAsString(value));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
        } else {
            System.out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
    }
}

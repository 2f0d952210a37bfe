package dev.freshet.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import picocli.CommandLine.Option;

/** The {@code --json} flag every command has, and printing by it. */
public final class JsonOutput {
    /**
     * Built on first use, not when picocli makes the flag's holder for a command line: building a mapper
     * takes tens of milliseconds, and most runs print no JSON.
     */
    static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();

        private Mapper() {
        }
    }

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    public boolean enabled() {
        return json;
    }

    /** Prints {@code value} as JSON when asked to, otherwise the text. */
    public void print(Object value, String text) {
        if (json) {
            System.out.println(toJson(value));
        } else {
            System.out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        }
    }

    public static String toJson(Object value) {
        try {
            return Mapper.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}

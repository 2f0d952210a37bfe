package dev.freshet.engine.models;

import java.util.List;
import java.util.Objects;

/**
 * One HTTP request as the models see it: the method, the decoded path, and every parameter with
 * where it came from, in the order the request carried them.
 */
public record HttpRequest(String method, String path, List<Parameter> parameters) {
    public HttpRequest {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        parameters = List.copyOf(parameters);
    }

    /** Where a parameter was carried. */
    public enum Location {
        QUERY("query:"), BODY("body:"), COOKIE("cookie:"), HEADER("header:");

        private final String prefix;

        Location(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * One decoded name and value. JSON bodies are flattened: {@code {"user":{"tags":["a"]}}} gives
     * {@code user.tags[]=a}. {@code malformedEncoding} records a broken percent escape.
     */
    public record Parameter(Location location, String name, String value, boolean malformedEncoding) {
        public Parameter {
            Objects.requireNonNull(location);
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }

        public Parameter(Location location, String name, String value) {
            this(location, name, value, false);
        }

        /** The key a profile is kept under: {@code query:id}, {@code cookie:JSESSIONID}. */
        public String key() {
            return location.prefix + name;
        }
    }
}

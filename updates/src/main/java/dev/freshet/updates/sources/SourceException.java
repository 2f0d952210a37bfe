package dev.freshet.updates.sources;

/** A source could not deliver: unreachable, refused, corrupt or over its limits. The message names the source. */
public class SourceException extends Exception {
    private final String source;

    public SourceException(String source, String problem) {
        this(source, problem, null);
    }

    public SourceException(String source, String problem, Throwable cause) {
        super("source '" + source + "': " + problem, cause);
        this.source = source;
    }

    public String source() {
        return source;
    }
}

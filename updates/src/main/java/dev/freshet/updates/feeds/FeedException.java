package dev.freshet.updates.feeds;

/** A feed could not deliver: unreachable, refusing, rate-limiting past patience, or sending garbage. The message names the feed. */
public class FeedException extends Exception {
    private final String feed;

    public FeedException(String feed, String problem) {
        this(feed, problem, null);
    }

    public FeedException(String feed, String problem, Throwable cause) {
        super("feed '" + feed + "': " + problem, cause);
        this.feed = feed;
    }

    public String feed() {
        return feed;
    }
}

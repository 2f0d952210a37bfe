package dev.freshet.updates.feeds;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one place that knows which feeds exist and how to build them from their settings. */
public final class Feeds {
    private Feeds() {
    }

    /**
     * Where each feed is fetched from.
     *
     * @param nvdApiKey   NVD API key, or null (then NVD's lower rate limit applies)
     * @param githubToken token for GitHub's GraphQL API, or null (the GHSA feed needs one)
     */
    public record Settings(URI nvd, String nvdApiKey, URI kev, URI ghsa, String githubToken, URI osv) {
        public static final URI DEFAULT_GHSA = URI.create("https://api.github.com/graphql");
        public static final URI DEFAULT_OSV = URI.create("https://osv-vulnerabilities.storage.googleapis.com/");

        public static Settings defaults() {
            return new Settings(NvdFeed.DEFAULT_ENDPOINT, null, KevFeed.DEFAULT_ENDPOINT, DEFAULT_GHSA, null, DEFAULT_OSV);
        }
    }

    /** Each feed's transport policy: its published rate limit and patience. */
    public static Map<String, FeedPolicy> policies(Settings settings) {
        return Map.of(NvdFeed.NAME, NvdFeed.policy(settings.nvdApiKey() != null && !settings.nvdApiKey().isBlank()));
    }

    /** Every configured feed, in sync order. */
    public static List<Feed> create(Settings settings, FeedTransport transport, Clock clock) {
        List<Feed> feeds = new ArrayList<>();
        // GitHub advisories and OSV join here once their classes are in:
        //   new GhsaFeed(transport, settings.ghsa(), settings.githubToken())  (when a token is set)
        //   new OsvFeed(transport, settings.osv(), ecosystem)                 (one per ecosystem)
        feeds.add(new NvdFeed(transport, settings.nvd(), settings.nvdApiKey(), clock));
        feeds.add(new KevFeed(transport, settings.kev()));
        return List.copyOf(feeds);
    }
}

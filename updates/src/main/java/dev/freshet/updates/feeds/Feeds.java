package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.version.Ecosystem;
import java.nio.file.Path;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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
     * @param githubToken    token for GitHub's GraphQL API, or null (then there is no GHSA feed: GitHub requires one)
     * @param osvEcosystems  OSV ecosystems to follow in the OSV bucket at {@code osv} (OSV's names: PyPI, npm, Go...)
     * @param osvDirectories local directories of OSV JSON/YAML records, each a feed of its own
     */
    public record Settings(URI nvd, String nvdApiKey, URI kev, URI ghsa, String githubToken, URI osv,
                           List<String> osvEcosystems, List<Path> osvDirectories) {
        public Settings {
            osvEcosystems = List.copyOf(osvEcosystems);
            osvDirectories = List.copyOf(osvDirectories);
        }

        /** Every ecosystem whose versions Freshet can order. */
        public static final List<String> ALL_OSV_ECOSYSTEMS = Arrays.stream(Ecosystem.values())
                .map(Ecosystem::osvName).toList();

        public static final URI DEFAULT_GHSA = URI.create("https://api.github.com/graphql");
        public static final URI DEFAULT_OSV = URI.create("https://osv-vulnerabilities.storage.googleapis.com/");

        public static Settings defaults() {
            return new Settings(NvdFeed.DEFAULT_ENDPOINT, null, KevFeed.DEFAULT_ENDPOINT, DEFAULT_GHSA, null, DEFAULT_OSV,
                    ALL_OSV_ECOSYSTEMS, List.of());
        }
    }

    /** Each feed's transport policy: its published rate limit and patience. */
    public static Map<String, FeedPolicy> policies(Settings settings) {
        return Map.of(NvdFeed.NAME, NvdFeed.policy(settings.nvdApiKey() != null && !settings.nvdApiKey().isBlank()));
    }

    /** Every configured feed, in sync order. */
    public static List<Feed> create(Settings settings, FeedTransport transport, Clock clock) {
        List<Feed> feeds = new ArrayList<>();
        // Package feeds first: their records lead when aliases are merged.
        settings.osvDirectories().forEach(directory -> feeds.add(OsvFeed.directory(directory)));
        settings.osvEcosystems().forEach(ecosystem -> feeds.add(new OsvFeed(transport, settings.osv(), ecosystem)));
        if (settings.githubToken() != null && !settings.githubToken().isBlank()) {
            feeds.add(new GhsaFeed(transport, settings.ghsa(), settings.githubToken()));
        }
        feeds.add(new NvdFeed(transport, settings.nvd(), settings.nvdApiKey(), clock));
        feeds.add(new KevFeed(transport, settings.kev()));
        return List.copyOf(feeds);
    }
}

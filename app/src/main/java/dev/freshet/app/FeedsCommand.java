package dev.freshet.app;

import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.feeds.Feeds;
import dev.freshet.updates.feeds.OsvFeed;
import dev.freshet.updates.feeds.ResilientTransport;
import dev.freshet.updates.store.Database;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet feeds ...}: vulnerability advisory feeds in the store. */
@Command(name = "feeds", mixinStandardHelpOptions = true,
        description = {"Vulnerability advisory feeds (OSV per ecosystem, GitHub advisories, NVD, CISA KEV, local OSV directories):",
                "bring them up to date and see how current they are. Records of one vulnerability are merged by alias."},
        subcommands = {FeedsCommand.Status.class, FeedsCommand.Sync.class},
        footer = {"", "Feed endpoints: flag > FRESHET_NVD_URL / FRESHET_KEV_URL > freshet.toml [feeds] nvd_url / kev_url > the public feeds.",
                "NVD API key (raises NVD's rate limit tenfold): FRESHET_NVD_API_KEY.",
                "GitHub advisories need FRESHET_GITHUB_TOKEN. freshet.toml [feeds]: osv_ecosystems = [\"PyPI\", \"npm\"], osv_directories, schedule.",
                "", "Examples:", "  freshet feeds sync", "  freshet feeds sync kev osv-PyPI",
                "  freshet feeds sync --osv-dir ../shared/data/vuln/golang-vulndb/data/osv", "  freshet feeds status --json"})
final class FeedsCommand implements Runnable {
    /** How directory feeds are named: this prefix and the directory's absolute path. */
    private static final String OSV_DIRECTORY_PREFIX = "osv-dir:";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Endpoint flags; unset ones fall back to environment, config file, then the public feeds. */
    static final class EndpointOptions {
        @Option(names = "--nvd-url", paramLabel = "URL", description = "NVD CVE API 2.0 endpoint (.../rest/json/cves/2.0).")
        String nvd;

        @Option(names = "--kev-url", paramLabel = "URL", description = "CISA KEV catalog JSON URL.")
        String kev;

        @Option(names = "--osv-url", paramLabel = "URL", description = "OSV bucket base URL (holding <ECOSYSTEM>/all.zip).")
        String osv;

        @Option(names = "--ghsa-url", paramLabel = "URL", description = "GitHub GraphQL endpoint (needs FRESHET_GITHUB_TOKEN).")
        String ghsa;

        @Option(names = "--osv-ecosystem", paramLabel = "NAME",
                description = "Follow only these OSV ecosystems (repeatable; OSV's names: PyPI, npm, Go, crates.io, Maven, RubyGems, Packagist).")
        List<String> osvEcosystems;

        @Option(names = "--osv-dir", paramLabel = "DIR",
                description = "A local directory of OSV JSON/YAML records as a feed (repeatable); with no FEED named, only these are synced.")
        List<java.nio.file.Path> osvDirectories = List.of();
    }

    /** The feeds' settings from flag, environment ({@code FRESHET_*}), {@code freshet.toml [feeds]}, default. */
    static Feeds.Settings feedSettings(EndpointOptions flags, Map<String, String> environment, Settings.FeedConfig file) {
        Feeds.Settings defaults = Feeds.Settings.defaults();
        return new Feeds.Settings(
                endpoint("nvd", flags.nvd, environment, file.nvdUrl(), defaults.nvd()),
                blankToNull(environment.get("FRESHET_NVD_API_KEY")),
                endpoint("kev", flags.kev, environment, file.kevUrl(), defaults.kev()),
                endpoint("ghsa", flags.ghsa, environment, file.ghsaUrl(), defaults.ghsa()),
                blankToNull(environment.get("FRESHET_GITHUB_TOKEN")),
                endpoint("osv", flags.osv, environment, file.osvUrl(), defaults.osv()),
                flags.osvEcosystems != null ? osvEcosystems(flags.osvEcosystems)
                        : file.osvEcosystems() == null ? defaults.osvEcosystems() : osvEcosystems(file.osvEcosystems()),
                java.util.stream.Stream.concat(flags.osvDirectories.stream().map(java.nio.file.Path::toString),
                        (file.osvDirectories() == null ? List.<String>of() : file.osvDirectories()).stream())
                        .map(FeedsCommand::directory).distinct().toList());
    }

    private static List<String> osvEcosystems(List<String> names) {
        for (String name : names) {
            if (!Feeds.Settings.ALL_OSV_ECOSYSTEMS.contains(name)) {
                throw new UserError("unknown OSV ecosystem '" + name + "'; known: "
                        + String.join(", ", Feeds.Settings.ALL_OSV_ECOSYSTEMS));
            }
        }
        return names;
    }

    private static java.nio.file.Path directory(String path) {
        java.nio.file.Path directory = java.nio.file.Path.of(path);
        if (!java.nio.file.Files.isDirectory(directory)) {
            throw new UserError("freshet.toml [feeds] osv_directories: not a directory: " + path);
        }
        return directory;
    }

    private static URI endpoint(String feed, String flag, Map<String, String> environment, String fromFile, URI fallback) {
        String variable = "FRESHET_" + feed.toUpperCase(java.util.Locale.ROOT) + "_URL";
        if (flag != null) {
            return httpUrl(flag, "--" + feed + "-url");
        }
        if (environment.get(variable) != null && !environment.get(variable).isBlank()) {
            return httpUrl(environment.get(variable), variable);
        }
        if (fromFile != null) {
            return httpUrl(fromFile, "freshet.toml [feeds] " + feed + "_url");
        }
        return fallback;
    }

    private static URI httpUrl(String text, String where) {
        try {
            URI uri = new URI(text.strip());
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UserError(where + ": '" + text + "' is not an http(s) URL such as https://services.nvd.nist.gov/rest/json/cves/2.0");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static List<Feed> feeds(Feeds.Settings settings) {
        return Feeds.create(settings, ResilientTransport.create(Feeds.policies(settings)), Clock.systemUTC());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per feed: records stored, last successful sync, its age against the freshness target, stale or not, last error.",
            footer = {"", "Example:", "  freshet feeds status --json"})
    static final class Status implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            Settings settings = store.settings();
            List<Feed> feeds = feeds(feedSettings(new EndpointOptions(), System.getenv(), settings.feeds()));
            try (Database database = store.open()) {
                AdvisoryStore advisories = new AdvisoryStore(database.jdbi());
                // Local directories synced with --osv-dir are feeds too, though no configuration names them.
                List<Feed> shown = new ArrayList<>(feeds);
                advisories.states().stream().map(AdvisoryStore.FeedState::feed)
                        .filter(name -> name.startsWith(OSV_DIRECTORY_PREFIX) && feeds.stream().noneMatch(f -> f.name().equals(name)))
                        .forEach(name -> shown.add(OsvFeed.directory(java.nio.file.Path.of(name.substring(OSV_DIRECTORY_PREFIX.length())))));
                List<FeedStatus> statuses = new FeedSync(advisories, Clock.systemUTC()).status(shown);
                int width = statuses.stream().mapToInt(st -> st.feed().length()).max().orElse(4);
                String line = "%-" + width + "s %9s  %-24s %-9s %-7s %s%n";
                StringBuilder text = new StringBuilder(String.format(line,
                        "feed", "records", "last success", "age", "target", "state"));
                List<Map<String, Object>> json = new ArrayList<>();
                for (FeedStatus s : statuses) {
                    text.append(String.format(line, s.feed(), s.records(),
                            s.lastSuccess() == null ? "never" : s.lastSuccess().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                            s.age() == null ? "-" : human(s.age()), human(s.freshnessTarget()), s.stale() ? "STALE" : "fresh"));
                    if (s.lastError() != null) {
                        text.append("       last error: ").append(s.lastError()).append('\n');
                    }
                    json.add(dev.freshet.app.server.FeedRoutes.describe(s));
                }
                if (statuses.stream().anyMatch(s -> s.lastSuccess() == null)) {
                    text.append("never synced feeds: run 'freshet feeds sync'\n");
                }
                store.print(json, text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Bring feeds up to date from where each stopped. A feed that fails keeps what it stored before.",
                    "The first NVD sync lists every CVE: about 150 requests, some 15 minutes without an API key."},
            footer = {"", "Exit codes: 0 every feed synced, 2 a feed failed (its stored data stays; the next sync resumes).",
                    "", "Examples:", "  freshet feeds sync", "  freshet feeds sync nvd --nvd-url http://mirror.local/rest/json/cves/2.0"})
    static final class Sync implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Mixin
        EndpointOptions endpoints;

        @Parameters(paramLabel = "FEED", arity = "0..*", description = "Feeds to sync (default: all).")
        List<String> names = List.of();

        @Override
        public Integer call() throws InterruptedException {
            Settings settings = store.settings();
            List<Feed> all = feeds(feedSettings(endpoints, System.getenv(), settings.feeds()));
            List<Feed> chosen = new ArrayList<>();
            for (String name : names) {
                chosen.add(all.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new UserError(
                        "no feed named '" + name + "'; feeds: " + String.join(", ", all.stream().map(Feed::name).toList()))));
            }
            if (chosen.isEmpty() && !endpoints.osvDirectories.isEmpty()) {
                chosen = all.stream().filter(f -> f.name().startsWith(OSV_DIRECTORY_PREFIX)).toList();
            }
            if (chosen.isEmpty()) {
                chosen = all;
            }
            try (Database database = store.open()) {
                FeedSync sync = new FeedSync(new AdvisoryStore(database.jdbi()), Clock.systemUTC());
                boolean terminal = System.console() != null && !store.json;
                List<FeedSync.Result> results = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                for (Feed feed : chosen) {
                    FeedSync.Result result = sync.sync(feed, (name, pages, records) -> {
                        if (terminal) {
                            System.err.print("\r" + name + ": " + pages + " page(s), " + records + " record(s)");
                            System.err.flush();
                        }
                    });
                    if (terminal) {
                        System.err.print("\r\033[K");
                    }
                    results.add(result);
                    text.append(String.format("%-6s %-6s %s%n", result.feed(), result.succeeded() ? "ok" : "FAILED",
                            result.succeeded()
                                    ? result.records() + " record(s) in " + result.pages() + " page(s), " + human(result.took())
                                    : result.error() + " (stored data kept: " + sync.status(feed).records() + " records)"));
                }
                store.print(results, text.toString());
                return results.stream().allMatch(FeedSync.Result::succeeded) ? ExitCodes.OK : ExitCodes.ERROR;
            }
        }
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 48 * 3600) {
            return seconds / 3600 + "h" + (seconds % 3600 / 60 > 0 ? seconds % 3600 / 60 + "m" : "");
        }
        return seconds / 86400 + "d";
    }
}

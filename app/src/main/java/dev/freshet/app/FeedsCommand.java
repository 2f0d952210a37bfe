package dev.freshet.app;

import dev.freshet.app.server.FeedRoutes;
import dev.freshet.updates.feeds.AdvisoryStore;
import dev.freshet.updates.feeds.Feed;
import dev.freshet.updates.feeds.FeedStatus;
import dev.freshet.updates.feeds.FeedSync;
import dev.freshet.updates.feeds.OsvFeed;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet feeds ...}: vulnerability advisory feeds in the store. */
@Command(name = "feeds", mixinStandardHelpOptions = true,
        header = "Vulnerability advisory feeds: sync them and see how current they are.",
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

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per feed: records stored, last successful sync, its age against the freshness target, stale or not, last error.",
            footer = {"", "Example:", "  freshet feeds status --json"})
    static final class Status implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                List<Feed> feeds = parts.feeds(new FeedEndpoints());
                // Local directories synced with --osv-dir are feeds too, though no configuration names them.
                List<Feed> shown = new ArrayList<>(feeds);
                parts.updates().advisories().states().stream().map(AdvisoryStore.FeedState::feed)
                        .filter(name -> name.startsWith(OSV_DIRECTORY_PREFIX) && feeds.stream().noneMatch(f -> f.name().equals(name)))
                        .forEach(name -> shown.add(OsvFeed.directory(Path.of(name.substring(OSV_DIRECTORY_PREFIX.length())))));
                List<FeedStatus> statuses = parts.updates().feedSync().status(shown);
                int width = statuses.stream().mapToInt(st -> st.feed().length()).max().orElse(4);
                String line = "%-" + width + "s %9s  %-24s %-9s %-7s %s%n";
                StringBuilder text = new StringBuilder(String.format(line,
                        "feed", "records", "last success", "age", "target", "state"));
                List<Map<String, Object>> json = new ArrayList<>();
                for (FeedStatus s : statuses) {
                    text.append(String.format(line, s.feed(), s.records(),
                            s.lastSuccess() == null ? "never" : s.lastSuccess().truncatedTo(ChronoUnit.SECONDS),
                            s.age() == null ? "-" : human(s.age()), human(s.freshnessTarget()), s.state().label()));
                    if (s.lastError() != null) {
                        text.append("       last error: ").append(s.lastError()).append('\n');
                    }
                    json.add(FeedRoutes.describe(s));
                }
                if (statuses.stream().anyMatch(s -> s.state() == FeedStatus.State.NEVER_SYNCED)) {
                    text.append("never synced feeds: run 'freshet feeds sync'\n");
                }
                if (statuses.stream().anyMatch(s -> s.state() == FeedStatus.State.FAILING)) {
                    text.append("failing feeds: fix what 'last error' says (network, URL, token), then run 'freshet feeds sync'\n");
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
        FeedEndpoints endpoints;

        @Parameters(paramLabel = "FEED", arity = "0..*", description = "Feeds to sync (default: all).")
        List<String> names = List.of();

        @Override
        public Integer call() throws InterruptedException {
            try (Parts parts = store.parts()) {
                List<Feed> all = parts.feeds(endpoints);
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
                List<FeedSync.Result> results = parts.updates().feedSync().syncAll(chosen, FeedSync.Listener.NONE);
                StringBuilder text = new StringBuilder();
                for (FeedSync.Result result : results) {
                    text.append(String.format("%-6s %-6s %s%n", result.feed(), result.succeeded() ? "ok" : "FAILED",
                            result.succeeded()
                                    ? result.records() + " record(s) in " + result.pages() + " page(s), " + human(result.took())
                                    : result.error() + " (stored data kept: " + parts.updates().advisories().state(result.feed()).records()
                                    + " records)"));
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

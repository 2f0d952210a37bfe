package dev.freshet.app;

import dev.freshet.updates.feeds.Feeds;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Feed endpoint flags; unset ones fall back to environment, config file, then the public feeds. */
public final class FeedEndpoints {
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
    List<Path> osvDirectories = List.of();

    /** The feeds' settings from flag, environment ({@code FRESHET_*}), {@code freshet.toml [feeds]}, default. */
    Feeds.Settings resolve(Map<String, String> environment, Settings.FeedConfig file) {
        Feeds.Settings defaults = Feeds.Settings.defaults();
        return new Feeds.Settings(
                endpoint("nvd", nvd, environment, file.nvdUrl(), defaults.nvd()),
                blankToNull(environment.get("FRESHET_NVD_API_KEY")),
                endpoint("kev", kev, environment, file.kevUrl(), defaults.kev()),
                endpoint("ghsa", ghsa, environment, file.ghsaUrl(), defaults.ghsa()),
                blankToNull(environment.get("FRESHET_GITHUB_TOKEN")),
                endpoint("osv", osv, environment, file.osvUrl(), defaults.osv()),
                osvEcosystems != null ? osvEcosystems(osvEcosystems)
                        : file.osvEcosystems() == null ? defaults.osvEcosystems() : osvEcosystems(file.osvEcosystems()),
                Stream.concat(osvDirectories.stream().map(Path::toString),
                        (file.osvDirectories() == null ? List.<String>of() : file.osvDirectories()).stream())
                        .map(FeedEndpoints::directory).distinct().toList());
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

    private static Path directory(String path) {
        Path directory = Path.of(path);
        if (!Files.isDirectory(directory)) {
            throw new UserError("freshet.toml [feeds] osv_directories: not a directory: " + path);
        }
        return directory;
    }

    private static URI endpoint(String feed, String flag, Map<String, String> environment, String fromFile, URI fallback) {
        String variable = "FRESHET_" + feed.toUpperCase(Locale.ROOT) + "_URL";
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
}

package dev.freshet.app;

import io.javalin.util.JavalinBindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code freshet serve}: Freshet's main job, the HTTP service with knowledge kept fresh on its schedules. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Run Freshet as a service: schedules, live knowledge and the HTTP API.",
        description = {"Run Freshet as a service: keep knowledge fresh on its schedules (as 'update watch' does), hold the active",
                "knowledge, and answer the HTTP API under /api/ (OpenAPI document at /openapi.json; /health/live, /health/ready,",
                "/metrics). On first start with nothing configured, the shipped starter rules become the first release, and an",
                "admin API key is printed once. Ctrl-C or SIGTERM stops it, after the requests in flight are answered."},
        footer = {"", "Examples:", "  freshet serve", "  freshet serve --port 8080 --data-dir /var/lib/freshet --read-root /srv/code",
                "  curl -H \"Authorization: Bearer $KEY\" http://127.0.0.1:8460/api/releases"})
final class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8460;

    @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default: $FRESHET_PORT or " + DEFAULT_PORT + "; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "State directory (default: $FRESHET_DATA_DIR, freshet.toml, ~/.freshet).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $FRESHET_CONFIG or ./freshet.toml).")
    Path config;

    @Option(names = "--read-root", paramLabel = "DIR",
            description = "A directory callers may name for projects, path scans and dir sources (repeatable; default: none).")
    List<Path> readRoots = List.of();

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "50", description = "Requests per second per API key (default: ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "100", description = "Largest scan archive accepted (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--keep-scans-days", paramLabel = "DAYS", defaultValue = "7",
            description = "Finished scans (and their reports) are deleted this many days after they end (default: ${DEFAULT-VALUE}).")
    int keepScansDays;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = Settings.resolve(config, dataDir, System.getenv());
        for (Path root : readRoots) {
            if (!Files.isDirectory(root)) {
                throw new UserError("--read-root " + root + " is not a directory");
            }
        }
        if (rateLimit < 1 || maxUploadMb < 1 || keepScansDays < 1) {
            throw new UserError("--rate-limit, --max-upload-mb and --keep-scans-days must be at least 1");
        }
        FreshetService.Options options = new FreshetService.Options(host, port(), readRoots, rateLimit,
                maxUploadMb * 1024L * 1024L, Duration.ofSeconds(30), Duration.ofDays(keepScansDays));
        StopSignal stop = StopSignal.install();
        FreshetService service;
        try {
            service = FreshetService.start(Parts.open(settings), options, Optional.empty());
        } catch (JavalinBindException e) {
            throw new UserError("cannot listen on " + host + ":" + options.port() + ": " + e.getMessage() + "; choose another --port");
        }
        service.starterRelease().ifPresent(id -> System.err.println("freshet: starter rules active as release " + id.substring(0, 12)));
        System.err.println("freshet: serving on http://" + host + ":" + service.port() + "/ (data in " + settings.dataDir()
                + "); Ctrl-C stops");
        service.bootstrapKey().ifPresentOrElse(key -> System.out.println("freshet: first start: admin API key for tenant '"
                        + FreshetService.BOOTSTRAP_TENANT + "' (shown once; keep it):\n" + key),
                () -> System.err.println("freshet: API keys exist; to make another: freshet keys create --tenant "
                        + FreshetService.BOOTSTRAP_TENANT + " --role admin --data-dir " + settings.dataDir()));
        try {
            stop.await();
            System.err.println("freshet: stopping: answering the requests in flight");
        } finally {
            service.close();
        }
        System.err.println("freshet: stopped");
        return ExitCodes.OK;
    }

    private int port() {
        if (port != null) {
            return port;
        }
        String fromEnvironment = System.getenv("FRESHET_PORT");
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(fromEnvironment.strip());
        } catch (NumberFormatException e) {
            throw new UserError("FRESHET_PORT must be a port number, not '" + fromEnvironment + "'");
        }
    }
}

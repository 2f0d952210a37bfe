package dev.freshet.app;

import dev.freshet.updates.jobs.EngineScanRunner;
import dev.freshet.updates.jobs.ScanJobs;
import dev.freshet.app.server.ApiServer;
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
                "  freshet serve --max-findings 50000 --max-scans-per-tenant 20",
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

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + ApiServer.Options.DEFAULT_MAX_IN_FLIGHT,
            description = "Requests each API key may have in flight at once; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--max-upload-mb", paramLabel = "MB", defaultValue = "100", description = "Largest scan archive accepted (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--keep-scans-days", paramLabel = "DAYS", defaultValue = "7",
            description = "Finished scans (and their reports) are deleted this many days after they end (default: ${DEFAULT-VALUE}).")
    int keepScansDays;

    @Option(names = "--max-findings", paramLabel = "N",
            description = "Findings a scan keeps; beyond them its report says it was truncated (default: [scans] max_findings "
                    + "in freshet.toml, else " + EngineScanRunner.DEFAULT_MAX_FINDINGS + ").")
    Integer maxFindings;

    @Option(names = "--max-scans-per-tenant", paramLabel = "N",
            description = "Scans one tenant may have queued or running; more are refused with 429 (default: [scans] "
                    + "max_per_tenant in freshet.toml, else " + ScanJobs.Options.DEFAULT_MAX_PER_TENANT + ").")
    Integer maxScansPerTenant;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = Settings.resolve(config, dataDir, System.getenv());
        for (Path root : readRoots) {
            if (!Files.isDirectory(root)) {
                throw new UserError("--read-root " + root + " is not a directory");
            }
        }
        if (rateLimit < 1 || maxInFlight < 1 || maxUploadMb < 1 || keepScansDays < 1) {
            throw new UserError("--rate-limit, --max-in-flight, --max-upload-mb and --keep-scans-days must be at least 1");
        }
        int findings = firstOf(maxFindings, settings.scans().maxFindings(), EngineScanRunner.DEFAULT_MAX_FINDINGS);
        int perTenant = firstOf(maxScansPerTenant, settings.scans().maxPerTenant(), ScanJobs.Options.DEFAULT_MAX_PER_TENANT);
        if (findings < 1 || perTenant < 1) {
            throw new UserError("--max-findings and --max-scans-per-tenant ([scans] max_findings, max_per_tenant) must be at least 1");
        }
        FreshetService.Options options = new FreshetService.Options(host, port(), readRoots, rateLimit, maxInFlight,
                maxUploadMb * 1024L * 1024L, Duration.ofSeconds(30), Duration.ofDays(keepScansDays),
                new FreshetService.ScanLimits(findings, perTenant));
        StopSignal stop = StopSignal.install();
        FreshetService service;
        try {
            service = FreshetService.start(Parts.open(settings), options, Optional.empty());
        } catch (JavalinBindException e) {
            throw new UserError("cannot listen on " + host + ":" + options.port() + ": " + e.getMessage() + "; choose another --port");
        }
        service.starterRelease().ifPresent(id -> System.err.println("freshet: starter rules active as release " + id.substring(0, 12)));
        service.bootstrapKey().ifPresentOrElse(key -> System.out.println("freshet: first start: global-admin API key for tenant '"
                        + FreshetService.BOOTSTRAP_TENANT + "' (shown once; keep it):\n" + key),
                () -> System.err.println("freshet: API keys exist; to make another: freshet keys create --tenant "
                        + FreshetService.BOOTSTRAP_TENANT + " --role global-admin --data-dir " + settings.dataDir()));
        // Last, so that whoever waits for this line (a supervisor, the benches) has the key already.
        System.err.println("freshet: serving on http://" + host + ":" + service.port() + "/ (data in " + settings.dataDir()
                + "); Ctrl-C stops");
        try {
            stop.await();
            System.err.println("freshet: stopping: answering the requests in flight");
        } finally {
            service.close();
        }
        System.err.println("freshet: stopped");
        return ExitCodes.OK;
    }

    private static int firstOf(Integer flag, Integer file, int fallback) {
        return flag != null ? flag : file != null ? file : fallback;
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

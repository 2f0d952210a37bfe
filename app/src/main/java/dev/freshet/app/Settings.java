package dev.freshet.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.freshet.updates.store.StoreException;
import dev.freshet.updates.store.StoreLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where Freshet keeps its state and reads its policy. Each setting comes from the first place
 * that has it: command-line flag, environment ({@code FRESHET_*}), {@code freshet.toml}, default.
 *
 * @param sources rule sources declared in the config file (sources added on the command line
 *                live in the store)
 * @param feeds   advisory feed endpoints from the config file's {@code [feeds]} section (flags and
 *                environment override them where the feeds are built)
 */
public record Settings(Path dataDir, Path policyFile, List<SourceEntry> sources, Gate gate, FeedConfig feeds,
                DatabaseConfig database, Scans scans, Learning learning, Generation generation, CreditConfig credits) {

    /** The config file's shape. Unknown keys are errors, so typos do not pass silently. */
    record File(String dataDir, String policy, List<SourceEntry> sources, Gate gate, FeedConfig feeds,
                DatabaseConfig database, Scans scans, Learning learning, Generation generation, CreditConfig credits) {
        static final File EMPTY = new File(null, null, List.of(), null, null, null, null, null, null, null);
    }

    /**
     * The {@code [learning]} section: how {@code serve} keeps the http-anomaly model learning.
     *
     * <pre>
     * [learning]
     * schedule = "0 0 3 * * *"       # Quartz-style cron (seconds first); default every 24 h at 03:00
     * logs = ["/var/log/nginx/access.log"]  # new traffic, read from where the last run stopped
     * format = "combined"            # csic, combined (or common) or jsonl
     * keep = 5                       # model versions kept besides what history refers to
     * min_samples = 1000             # fewest admitted requests for an update
     * max_samples = 10000            # most requests read per update
     * max_false_positive_rate = 0.01 # the gate's limit on the benign validation set
     * min_detection_rate = 0.5       # the gate's floor on injected attacks
     * </pre>
     *
     * Null where the file does not say; without {@code logs} nothing is learned on a schedule.
     */
    record Learning(String schedule, List<String> logs, String format, Integer keep, Integer minSamples, Integer maxSamples,
                    Double maxFalsePositiveRate, Double minDetectionRate) {
        static final Learning NONE = new Learning(null, null, null, null, null, null, null, null);
        static final String DEFAULT_SCHEDULE = "0 0 3 * * *";
        static final int DEFAULT_KEEP = 5;

        String scheduleOrDefault() {
            return schedule == null ? DEFAULT_SCHEDULE : schedule;
        }

        int keepOrDefault() {
            return keep == null ? DEFAULT_KEEP : keep;
        }

        List<Path> logFiles() {
            return logs == null ? List.of() : logs.stream().map(Path::of).toList();
        }

        Learning relativeTo(Path base) {
            return new Learning(schedule, logs == null ? null : logs.stream().map(log -> base.resolve(log).toString()).toList(), format,
                    keep, minSamples, maxSamples, maxFalsePositiveRate, minDetectionRate);
        }
    }

    /**
     * The {@code [generation]} section: an OpenAI-compatible chat-completions service (its key comes
     * from {@code FRESHET_LLM_API_KEY} only) and the model serving each class; without a URL custom
     * rules come from the offline generator. {@code FRESHET_LLM_URL} overrides the URL.
     */
    record Generation(String url, String standardModel, String proModel, String maxModel, Integer timeoutSeconds) {
        static final Generation NONE = new Generation(null, null, null, null, null);
    }

    /**
     * The {@code [credits]} section: credits the default tenant of a fresh store starts with, and the
     * success fee of a rule the offline generator made; null where the file does not say.
     */
    record CreditConfig(Long startingGrant, Long offlineSuccessFee) {
        static final CreditConfig NONE = new CreditConfig(null, null);
    }

    /**
     * The {@code [scans]} section of the service's scan queue: findings a scan keeps before its report
     * says it was truncated, and scans one tenant may have queued or running; null where the file does
     * not say (the {@code serve} flags override them).
     */
    record Scans(Integer maxFindings, Integer maxPerTenant) {
        static final Scans NONE = new Scans(null, null);
    }

    /**
     * The {@code [database]} section: a PostgreSQL JDBC URL that several nodes share, with its user
     * and password; without a URL the store is SQLite under the data directory.
     */
    record DatabaseConfig(String url, String user, String password) {
        static final DatabaseConfig NONE = new DatabaseConfig(null, null, null);
    }

    /** Where the store is: PostgreSQL when a database URL is set, else the SQLite file under the data directory. */
    StoreLocation storeLocation() {
        try {
            return StoreLocation.of(database.url(), database.user(), database.password(), dataDir);
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    /**
     * The {@code [feeds]} section: endpoints, which OSV ecosystems to follow, local OSV directories,
     * and how often {@code update watch} syncs; null where the file does not say. Secrets (API key,
     * token) come from the environment only.
     */
    record FeedConfig(String nvdUrl, String kevUrl, String ghsaUrl, String osvUrl, List<String> osvEcosystems,
                      List<String> osvDirectories, String schedule) {
        static final FeedConfig NONE = new FeedConfig(null, null, null, null, null, null, null);
    }

    /**
     * What the validation gate and the post-activation check run rules on: a reference corpus
     * (each rule's time budget; the whole release's scan after activation) and a known-clean corpus
     * (noise limit).
     */
    record Gate(String referenceCorpus, Long timeBudgetMillis, String cleanCorpus, Integer noiseLimit) {
        static final Gate NONE = new Gate(null, null, null, null);
    }

    /** A rule source as the config file declares it. */
    record SourceEntry(String name, String kind, String location, String branch, String channel, String schedule,
                       Integer priority, Boolean enabled, Boolean testsRequired, List<String> trustedAuthors,
                       List<String> paths, String trustedRoot) {

        /** Local paths (a directory source's location, a trusted root) relative to the config file's directory, as the other paths are. */
        SourceEntry relativeTo(Path base) {
            boolean local = kind != null && List.of("local", "dir", "directory").contains(kind);
            return new SourceEntry(name, kind, local && location != null ? base.resolve(location).toString() : location, branch, channel,
                    schedule, priority, enabled, testsRequired, trustedAuthors, paths,
                    trustedRoot == null ? null : base.resolve(trustedRoot).toString());
        }
    }

    private static final ObjectMapper TOML = TomlMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static Settings resolve(Path configFlag, Path dataDirFlag, Map<String, String> environment) {
        Path configFile = configFlag != null ? configFlag
                : environment.containsKey("FRESHET_CONFIG") ? Path.of(environment.get("FRESHET_CONFIG"))
                : Files.exists(Path.of("freshet.toml")) ? Path.of("freshet.toml") : null;
        File file = configFile == null ? File.EMPTY : read(configFile, configFlag != null
                || environment.containsKey("FRESHET_CONFIG"));
        Path base = configFile == null || configFile.toAbsolutePath().getParent() == null
                ? Path.of("") : configFile.toAbsolutePath().getParent();
        Path dataDir = dataDirFlag != null ? dataDirFlag
                : environment.containsKey("FRESHET_DATA_DIR") ? Path.of(environment.get("FRESHET_DATA_DIR"))
                : file.dataDir() != null ? base.resolve(file.dataDir())
                : Path.of(System.getProperty("user.home"), ".freshet");
        Path policy = environment.containsKey("FRESHET_POLICY") ? Path.of(environment.get("FRESHET_POLICY"))
                : file.policy() != null ? base.resolve(file.policy())
                : dataDir.resolve("policy.toml");
        Gate gate = file.gate() == null ? Gate.NONE : new Gate(
                file.gate().referenceCorpus() == null ? null : base.resolve(file.gate().referenceCorpus()).toString(),
                file.gate().timeBudgetMillis(),
                file.gate().cleanCorpus() == null ? null : base.resolve(file.gate().cleanCorpus()).toString(),
                file.gate().noiseLimit());
        DatabaseConfig fromFile = file.database() == null ? DatabaseConfig.NONE : file.database();
        DatabaseConfig database = new DatabaseConfig(
                environment.getOrDefault("FRESHET_DATABASE_URL", fromFile.url()),
                environment.getOrDefault("FRESHET_DATABASE_USER", fromFile.user()),
                environment.getOrDefault("FRESHET_DATABASE_PASSWORD", fromFile.password()));
        List<SourceEntry> sources = file.sources() == null ? List.of()
                : file.sources().stream().map(entry -> entry.relativeTo(base)).toList();
        Generation fromFileGeneration = file.generation() == null ? Generation.NONE : file.generation();
        Generation generation = new Generation(environment.getOrDefault("FRESHET_LLM_URL", fromFileGeneration.url()),
                fromFileGeneration.standardModel(), fromFileGeneration.proModel(), fromFileGeneration.maxModel(),
                fromFileGeneration.timeoutSeconds());
        return new Settings(dataDir, policy, sources, gate,
                file.feeds() == null ? FeedConfig.NONE : file.feeds(), database, file.scans() == null ? Scans.NONE : file.scans(),
                file.learning() == null ? Learning.NONE : file.learning().relativeTo(base),
                generation, file.credits() == null ? CreditConfig.NONE : file.credits());
    }

    private static File read(Path configFile, boolean required) {
        if (!Files.exists(configFile)) {
            if (required) {
                throw new UserError("config file not found: " + configFile);
            }
            return File.EMPTY;
        }
        try {
            return TOML.readValue(Files.readString(configFile), File.class);
        } catch (JsonMappingException e) {
            throw new UserError(configFile + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserError(configFile + ": not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}

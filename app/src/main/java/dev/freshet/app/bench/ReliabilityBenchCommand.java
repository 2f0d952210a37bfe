package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshet bench reliability}: the hostile-input and fault probes of issue 11, run against real
 * {@code freshet serve} child processes on loopback, each bounded in time; prints what happened.
 */
@Command(name = "reliability", mixinStandardHelpOptions = true,
        description = {"Probe 'freshet serve' (child processes on loopback) under attack and faults, and print figures:",
                "slow-body uploads while /health/live is polled (p50/p99, failures); a scan past the finding limit; hostile",
                "rule sources (YAML nested 200,000 levels, a 2 MB rule with a 110,000-term pattern, a 50 MB rule file) beside",
                "a good source whose change should be released; kill -9 during scans and during activations, the store",
                "checked after every kill. About five minutes with the defaults."},
        footer = {"", "Examples:", "  freshet bench reliability", "  freshet bench reliability --rounds 5 --json"})
public final class ReliabilityBenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT).build();
    /** The finding limit the probe asks the server for, and the findings its scan makes (three times as many). */
    private static final int FINDING_LIMIT = 1_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--connections", defaultValue = "300", description = "Slow uploads in the attack (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--attack-seconds", defaultValue = "15", description = "How long /health/live is polled under attack (default: ${DEFAULT-VALUE}).")
    int attackSeconds;

    @Option(names = "--rounds", defaultValue = "20", description = "kill -9 rounds, for scans and for activations each (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--kill-seconds", defaultValue = "100",
            description = "Time each kill -9 probe may take; it stops after the round that passes it (default: ${DEFAULT-VALUE}).")
    int killSeconds;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the servers keep their data (default: a temporary directory, deleted after).")
    Path work;

    @Option(names = "--json", description = "Print the figures as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || attackSeconds < 1 || attackSeconds > 300 || rounds < 1 || rounds > 200 || killSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--connections, --kill-seconds and --rounds (up to 200) must be at least 1, "
                    + "--attack-seconds from 1 to 300");
        }
        boolean temporary = work == null;
        Path dir = temporary ? Files.createTempDirectory("freshet-bench-reliability") : Files.createDirectories(work);
        try {
            Map<String, Object> figures = probe(dir);
            if (json) {
                System.out.println(JSON.writeValueAsString(figures));
            }
            return 0;
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    private Map<String, Object> probe(Path dir) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Path service = dir.resolve("service");
        Path code = Files.createDirectories(service.resolve("code"));
        boolean limited = ServeProcess.serveAccepts("--max-findings");
        List<String> arguments = new ArrayList<>(List.of("--read-root", code.toString(), "--rate-limit", "100000"));
        if (limited) {
            arguments.addAll(List.of("--max-findings", String.valueOf(FINDING_LIMIT)));
        }
        try (ServeProcess serve = ServeProcess.start(service, arguments, ServeProcess.Jvm.PRODUCT, Duration.ofSeconds(120))) {
            String key = serve.firstKey().orElseThrow(() -> new IllegalStateException("the first start printed no admin key"));

            SlowBodyProbe.Result slow = SlowBodyProbe.run(serve.port(), key, connections, Duration.ofSeconds(attackSeconds));
            figures.put("slow_body", slow);
            say("slow-body attack: %d uploads of one key trickling a byte every 2 s for %d s; /health/live polled %d times: "
                            + "p50 %d ms, p99 %d ms, max %d ms, %d failed; the uploads were answered %s", slow.connections(), attackSeconds,
                    slow.polls(), slow.p50Millis(), slow.p99Millis(), slow.maxMillis(), slow.pollFailures(), slow.outcomes());

            Path project = ScanAndSourceProbes.evalProject(code.resolve("findings"), 3, FINDING_LIMIT);
            ScanAndSourceProbes.FindingLimit findings = ScanAndSourceProbes.findingLimit(serve, key, project, 3 * FINDING_LIMIT,
                    limited ? FINDING_LIMIT : 0);
            figures.put("finding_limit", findings);
            say("finding limit: a scan with %d findings%s: %s in %d ms, report of %d findings, %d bytes; %s", findings.expectedFindings(),
                    limited ? " against --max-findings " + FINDING_LIMIT : "", findings.state(), findings.millis(), findings.reportedFindings(),
                    findings.reportBytes(), findings.truncated() != null ? "truncated: \"" + findings.truncated() + "\""
                            : limited ? "NOT marked truncated" : "no finding limit in this server (no --max-findings)");

            ScanAndSourceProbes.HostileSources hostile = ScanAndSourceProbes.hostileSources(serve, key, code, Duration.ofSeconds(90));
            figures.put("hostile_sources", hostile);
            say("hostile sources: the update check answered %d in %d ms; the good source's change %s; sources with errors: %s",
                    hostile.checkStatus(), hostile.checkMillis(), hostile.released() ? "was released" : "was NOT released",
                    ScanAndSourceProbes.failed(hostile));
            hostile.sources().forEach((name, error) -> say("  source %s: %s", name, error == null ? "ok" : error));
        }

        Path faults = dir.resolve("faults");
        Files.createDirectories(faults.resolve("code"));
        List<String> faultArguments = List.of("--read-root", faults.resolve("code").toString(), "--rate-limit", "100000");
        String key;
        try (ServeProcess first = ServeProcess.start(faults, faultArguments, ServeProcess.Jvm.SHORT_LIVED, Duration.ofSeconds(120))) {
            key = first.firstKey().orElseThrow(() -> new IllegalStateException("the first start printed no admin key"));
        }
        Path small = ScanAndSourceProbes.evalProject(faults.resolve("code").resolve("small"), 2, 50);
        KillProbe kills = new KillProbe(faults, faultArguments);
        for (KillProbe.Work kind : KillProbe.Work.values()) {
            KillProbe.Result result = kills.run(kind, rounds, Duration.ofSeconds(killSeconds), key, small);
            figures.put("kill_" + kind.name().toLowerCase(Locale.ROOT), result);
            say("kill -9 during %s: %d rounds (of %d asked), %d acknowledged, median restart %d ms; store consistent every round: %s%s",
                    kind.name().toLowerCase(Locale.ROOT), result.rounds(), rounds, result.acknowledged(), result.medianStartMillis(),
                    result.problems().isEmpty() ? "yes" : "NO", result.finalStates().isEmpty() ? "" : "; scans after a last start: "
                            + result.finalStates());
            result.problems().forEach(problem -> say("  %s", problem));
        }
        return figures;
    }

    private void say(String format, Object... arguments) {
        if (!json) {
            System.out.println(String.format(format, arguments));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

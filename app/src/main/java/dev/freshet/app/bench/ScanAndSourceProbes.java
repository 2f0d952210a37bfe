package dev.freshet.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probes of scans and sources: a scan past the finding limit, and hostile rule sources beside a good one. */
final class ScanAndSourceProbes {
    static final String GOOD_RULE = "bench-good-rule";
    static final String CHANGED_RULE = "bench-good-rule-changed";

    private ScanAndSourceProbes() {
    }

    /**
     * @param limit     the --max-findings given to the server, or 0 when the server has no such limit
     * @param truncated the report's "truncated" marker, or null when it has none
     */
    record FindingLimit(int expectedFindings, int limit, String state, int reportedFindings, long reportBytes, long millis,
                        String truncated) {
    }

    /** A project with {@code files} Python files of {@code perFile} eval calls each: one finding per call. */
    static Path evalProject(Path dir, int files, int perFile) throws IOException {
        Files.createDirectories(dir);
        for (int f = 0; f < files; f++) {
            try (Writer out = Files.newBufferedWriter(dir.resolve("calc" + f + ".py"), StandardCharsets.UTF_8)) {
                out.write("def calc(expression):\n");
                for (int i = 0; i < perFile; i++) {
                    out.write("    eval(expression)\n");
                }
            }
        }
        return dir;
    }

    static FindingLimit findingLimit(ServeProcess serve, String key, Path project, int expected, int limit) throws InterruptedException {
        long started = System.nanoTime();
        ServeProcess.Answer submitted = serve.post(key, "/api/scans", "{\"path\": " + quote(project.toString()) + "}", Duration.ofSeconds(30));
        if (submitted.status() != 202) {
            return new FindingLimit(expected, limit, "refused " + submitted.status() + ": " + submitted.body(), 0, 0, 0, null);
        }
        String id = submitted.json().get("id").asText();
        String state = awaitScan(serve, key, id, Duration.ofSeconds(120));
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!state.equals("succeeded")) {
            return new FindingLimit(expected, limit, state, 0, 0, millis, null);
        }
        ServeProcess.Answer report = serve.get(key, "/api/scans/" + id + "/results?format=json", Duration.ofSeconds(120));
        JsonNode json = report.json();
        return new FindingLimit(expected, limit, state, json.path("results").size(), report.body().getBytes(StandardCharsets.UTF_8).length,
                millis, json.hasNonNull("truncated") ? json.get("truncated").asText() : null);
    }

    /** Polls a scan until it has finished (or {@code patience} is up): its last state. */
    static String awaitScan(ServeProcess serve, String key, String id, Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        String state = "unknown";
        while (System.nanoTime() < until) {
            ServeProcess.Answer scan = serve.get(key, "/api/scans/" + id, Duration.ofSeconds(10));
            state = scan.status() == 200 ? scan.json().path("state").asText() : "http " + scan.status();
            if (state.equals("succeeded") || state.equals("failed")) {
                return state;
            }
            Thread.sleep(200);
        }
        return state + " after " + patience.toSeconds() + " s";
    }

    /**
     * @param check      the update check with the hostile sources and the good source's change: HTTP status and time
     * @param released   whether the good source's change became part of the active release
     * @param sources    each source's recorded last error (null when it had none)
     */
    record HostileSources(int checkStatus, long checkMillis, String checkSummary, boolean released, Map<String, String> sources) {
    }

    /**
     * A good local source is released first; then three hostile sources are added (YAML nested
     * 200,000 levels, a 2 MB rule whose pattern has 110,000 terms, a 50 MB rule file) and the good
     * source changes; one update check follows.
     */
    static HostileSources hostileSources(ServeProcess serve, String key, Path code, Duration checkTimeout) throws IOException {
        Path good = Files.createDirectories(code.resolve("good"));
        Files.writeString(good.resolve("good.yaml"), rule(GOOD_RULE, "pattern: pickle.loads(...)"));
        addDir(serve, key, "good", good);
        serve.post(key, "/api/updates/check", null, checkTimeout);

        Path deep = Files.createDirectories(code.resolve("deep"));
        Files.writeString(deep.resolve("deep.yaml"), "rules: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n");
        Path pattern = Files.createDirectories(code.resolve("pattern"));
        StringBuilder terms = new StringBuilder("pattern: ");
        for (int i = 0; i < 110_000; i++) {
            terms.append(i == 0 ? "" : " + ").append("term_").append(i).append("_padding");
        }
        Files.writeString(pattern.resolve("pattern.yaml"), rule("bench-huge-pattern", terms.toString()));
        Path huge = Files.createDirectories(code.resolve("huge"));
        try (Writer out = Files.newBufferedWriter(huge.resolve("huge.yaml"), StandardCharsets.UTF_8)) {
            out.write(rule("bench-huge-file", "pattern: os.system(...)"));
            String padding = "# " + "x".repeat(1022) + "\n";
            for (int i = 0; i < 50 * 1024; i++) {
                out.write(padding);
            }
        }
        for (String name : List.of("deep", "pattern", "huge")) {
            addDir(serve, key, name, code.resolve(name));
        }
        Files.writeString(good.resolve("changed.yaml"), rule(CHANGED_RULE, "pattern: marshal.loads(...)"));

        long started = System.nanoTime();
        ServeProcess.Answer check = serve.post(key, "/api/updates/check", null, checkTimeout);
        long millis = (System.nanoTime() - started) / 1_000_000;
        boolean released = serve.get(key, "/api/rules/" + CHANGED_RULE, Duration.ofSeconds(30)).status() == 200;
        Map<String, String> sources = new LinkedHashMap<>();
        ServeProcess.Answer listed = serve.get(key, "/api/sources", Duration.ofSeconds(30));
        if (listed.status() == 200) {
            for (JsonNode source : listed.json()) {
                String error = source.path("last_error").isNull() ? null : source.path("last_error").asText();
                sources.put(source.path("name").asText(), error == null ? null : shorten(error));
            }
        }
        return new HostileSources(check.status(), millis, shorten(check.body()), released, sources);
    }

    private static void addDir(ServeProcess serve, String key, String name, Path dir) {
        ServeProcess.Answer added = serve.post(key, "/api/sources", "{\"name\": \"" + name + "\", \"kind\": \"dir\", \"location\": "
                + quote(dir.toString()) + "}", Duration.ofSeconds(30));
        if (added.status() != 201) {
            throw new IllegalStateException("cannot add source " + name + ": " + added.status() + " " + added.body());
        }
    }

    static String rule(String id, String patternLine) {
        return """
                rules:
                  - id: %s
                    languages: [python]
                    severity: WARNING
                    message: found by the reliability bench
                    %s
                """.formatted(id, patternLine);
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String shorten(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** Sources whose check recorded an error, for the summary line. */
    static List<String> failed(HostileSources result) {
        List<String> failed = new ArrayList<>();
        result.sources().forEach((name, error) -> {
            if (error != null) {
                failed.add(name);
            }
        });
        return failed;
    }
}

package dev.freshet.app;

import static dev.freshet.app.RolloutCommandTest.rule;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.ProfileSet;

import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A store for dashboard tests, written before the server starts: two activations on rules (so there
 * is a release to roll back to), a rollout of a third release in shadow, and hostile text where an
 * operator's page shows names (a rule id, a source, a gate reason, an event's payload).
 */
final class DashboardFixture {
    static final String HOSTILE_RULE = "<script>alert(1)</script>";
    static final String HOSTILE_SOURCE = "<img src=x onerror=alert(2)>";
    static final String HOSTILE_EVENT = "\"><svg onload=alert(3)>";

    record Store(Release first, Release second, Release candidate, Rollout rollout) {
    }

    private DashboardFixture() {
    }

    static Store write(Path tmp) throws Exception {
        try (Database database = Database.open(tmp.resolve("data"))) {
            Clock clock = Clock.systemUTC();
            ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
            ActivationService activations = new ActivationService(database.jdbi(), releases, clock);
            Release first = releases.create(List.of(rule("evals", "eval($X)")), new GateReport(List.of()));
            Release second = releases.create(List.of(rule("evals", "eval($X)"), rule("prints", "print($X)")),
                    new GateReport(List.of(new Verdict(HOSTILE_RULE, HOSTILE_SOURCE, "x.yaml", Verdict.Outcome.REJECTED,
                            "pattern " + HOSTILE_SOURCE + " does not parse"))));
            Release candidate = releases.create(List.of(rule("evals", "eval($X)"), rule("execs", "exec($X)")), new GateReport(List.of()));
            activations.activate(first.id(), Trigger.USER, "first");
            activations.activate(second.id(), Trigger.USER, "second");
            RolloutEngine engine = new RolloutEngine(database.jdbi(), activations, clock);
            Rollout rollout = engine.start(candidate.id(), Optional.of(RolloutPlan.DEFAULT), "dashboard test").orElseThrow();
            engine.recordRuleChanges(rollout.id(), "unit-1", Map.of(HOSTILE_RULE, RolloutEngine.RuleEffect.findings(2, 1)));
            database.jdbi().useTransaction(h -> EventLog.append(h, Instant.now(), EventType.SOURCE_REFUSED, null, null,
                    Map.of("source", HOSTILE_EVENT, "reason", "unreachable")));
            watchedProject(database, tmp, second.id());
            return new Store(first, second, candidate, rollout);
        }
    }

    /**
     * Project "shop" of tenant default as the project monitor leaves it after a few scans: one finding
     * open for ten days, one found eight days ago and resolved three days ago, one found today.
     */
    private static void watchedProject(Database database, Path tmp, String releaseId) throws IOException {
        new dev.freshet.updates.access.AccessStore(database.jdbi(), Clock.systemUTC()).createTenant("default");
        Path directory = Files.createDirectories(tmp.resolve("code/shop"));
        Instant now = Instant.now();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO projects (name, path, added_at, last_scan_at, stack) VALUES ('default.shop', :path, :added, :now, "
                    + "'{\"ecosystems\":[\"PyPI\"]}')").bind("path", directory.toString()).bind("added", now.minus(Duration.ofDays(12)).toEpochMilli())
                    .bind("now", now.toEpochMilli()).execute();
            h.createUpdate("INSERT INTO tenant_projects (project, tenant, local_name) VALUES ('default.shop', 'default', 'shop')").execute();
            Object[][] findings = {{"GHSA-jfh8-c2jp-5v3q", "jinja2", "2.10", 10, null}, {"PYSEC-2021-66", "urllib3", "1.25.0", 8, 3},
                    {"GHSA-<b>x</b>", "requests", "2.19.0", 0, null}};
            for (Object[] f : findings) {
                h.createUpdate("INSERT INTO project_findings (project, advisory_id, package, version, lockfile, ecosystem, reachability, "
                                + "release_id, first_seen, last_seen, resolved_at) VALUES ('default.shop', :id, :pkg, :version, "
                                + "'requirements.txt', 'PyPI', 'no_call_found', :release, :first, :now, :resolved)")
                        .bind("id", (String) f[0]).bind("pkg", (String) f[1]).bind("version", (String) f[2]).bind("release", releaseId)
                        .bind("first", now.minus(Duration.ofDays((Integer) f[3])).toEpochMilli()).bind("now", now.toEpochMilli())
                        .bind("resolved", f[4] == null ? null : now.minus(Duration.ofDays((Integer) f[4])).toEpochMilli()).execute();
            }
        });
    }

    /** A browser without a browser: keeps the session cookie it is given and sends forms as a browser would. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final URI base;
        String session;
        String language;

        Client(int port) {
            this.base = URI.create("http://127.0.0.1:" + port);
        }

        HttpResponse<String> get(String path) {
            return send(request(path).GET());
        }

        HttpResponse<String> get(String path, String header, String value) {
            return send(request(path).header(header, value).GET());
        }

        /** A form from this dashboard's own pages: Origin is the server's. */
        HttpResponse<String> post(String path, Map<String, String> form) {
            return post(path, form, base.toString());
        }

        HttpResponse<String> post(String path, Map<String, String> form, String origin) {
            HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
            return send(origin == null ? request : request.header("Origin", origin));
        }

        HttpResponse<String> signIn(String key) {
            HttpResponse<String> response = post("/ui/sign-in", Map.of("key", key, "next", "/ui/"));
            cookie(response, "freshet_session").ifPresent(value -> session = value);
            return response;
        }

        /** The CSRF token in the forms of a page. */
        String csrf() {
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get("/ui/").body());
            if (!m.find()) {
                throw new AssertionError("no CSRF token on the overview");
            }
            return m.group(1);
        }

        static Optional<String> setCookie(HttpResponse<?> response, String name) {
            return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
        }

        static Optional<String> cookie(HttpResponse<?> response, String name) {
            return setCookie(response, name).map(c -> c.substring(name.length() + 1, c.indexOf(';')));
        }

        static Map<String, String> form(String... pairs) {
            Map<String, String> form = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                form.put(pairs[i], pairs[i + 1]);
            }
            return form;
        }

            HttpResponse<String> postWithHeader(String path, Map<String, String> form, String header, String value) {
            return send(request(path).header("Content-Type", "application/x-www-form-urlencoded").header(header, value)
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
        }

        HttpResponse<String> postRaw(String path, String contentType, String body) {
            return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
            String cookies = (session == null ? "" : "freshet_session=" + session + "; ") + (language == null ? "" : "freshet_lang=" + language);
            return cookies.isBlank() ? request : request.header("Cookie", cookies);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String encode(Map<String, String> form) {
            return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        }
    }

    /** A version as {@code freshet models train} made it before versions were releases: imported into the track at start. */
    private static final byte[] MODEL = new ModelArtifact(ModelArtifact.Manifest.of("", "2026-12-01T08:00:00Z", 0.5, 0.005,
            Map.of("read", 1000), Map.of("validation_fpr", 0.012, "validation_requests", 500, "attack_detection", 0.97)),
            new HttpAnomalyModel(new ProfileSet(), 0.5)).toBytes();
    static final String MODEL_DIGEST = ModelArtifact.digest(MODEL);

    /** A model index and its artifact as {@code freshet models train} left them: one version, active, with its evaluation. */
    static void models(Path tmp) throws IOException {
        Path directory = Files.createDirectories(tmp.resolve("data/models/http-anomaly/versions")).getParent();
        Files.write(directory.resolve("versions").resolve(MODEL_DIGEST + ".json"), MODEL);
        Files.writeString(directory.resolve("index.json"), """
                {"active": "%s", "versions": [{"digest": "%s", "parent": "", "created": "2026-12-01T08:00:00Z", "passed": true,
                  "reasons": [], "threshold": 0.5}]}
                """.formatted(MODEL_DIGEST, MODEL_DIGEST));
    }

    static Path code(Path tmp) throws IOException {
        return Files.createDirectories(tmp.resolve("code"));
    }
}

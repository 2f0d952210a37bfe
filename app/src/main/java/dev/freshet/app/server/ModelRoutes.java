package dev.freshet.app.server;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.models.Finding;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequestParser;
import dev.freshet.engine.models.RequestParseException;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.learning.ModelFeedback;
import dev.freshet.updates.learning.ModelReleases;
import dev.freshet.updates.learning.ModelVersion;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Cohorts;
import dev.freshet.updates.rollout.RolloutScores;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Models: score requests with the version each caller's cohort gets (one snapshot per call), report
 * a verdict wrong, list the versions. Bodies go through the strict JSON reader and its size limit.
 */
final class ModelRoutes {
    /** The most requests one score call may carry. */
    static final int MAX_BATCH = 100;

    /**
     * One HTTP request to score: its raw text, or its parts (method, url as sent, headers, body).
     *
     * @param client the unit whose sticky cohort picks the version (default: the request's method and path)
     */
    record ToScore(String raw, String method, String url, Map<String, String> headers, String body, String client) {
    }

    /** Body of score: one {@code request} or a batch of {@code requests}; {@code cohort} asks for candidate or stable. */
    record Score(ToScore request, List<ToScore> requests, String cohort) {
    }

    /** Body of feedback: the version that gave the verdict (as score returned it), what was wrong, the request. */
    record Feedback(String release, String kind, ToScore request, String note) {
    }

    private final Services services;
    private final ActivationService activations;
    private final ModelFeedback feedback;

    ModelRoutes(Services services) {
        this.services = services;
        this.activations = services.activations();
        this.feedback = new ModelFeedback(services.jdbi(), services.clock());
    }

    List<Route> routes() {
        return List.of(
                Route.withBody(HandlerType.POST, "/api/models/{name}/score", Role.VIEWER,
                        "Score one HTTP request ({\"request\": {...}}) or up to " + MAX_BATCH + " ({\"requests\": [...]}), each as"
                                + " {\"raw\": \"GET /a?b=c HTTP/1.1...\"} or {\"method\", \"url\", \"headers\", \"body\"}; the version"
                                + " is the one the request's cohort (its \"client\", else its route) gets during a rollout; "
                                + "\"cohort\": \"candidate\"|\"stable\" asks for one",
                        Score.class, (r, body) -> Reply.ok(score(track(r), body))),
                Route.withBody(HandlerType.POST, "/api/models/{name}/feedback", Role.OPERATOR,
                        "Report a verdict wrong: {\"release\": the version that scored it, \"kind\": \"false_positive\"|"
                                + "\"missed_attack\", \"request\": {...}, \"note\": ...}; counted per version",
                        Feedback.class, (r, body) -> Reply.created(feedback(track(r), body, r.caller().keyId()))),
                Route.get("/api/models/{name}/versions", Role.VIEWER, "The model's versions (releases of models/<name>), newest first,"
                                + " with evaluation figures, provenance and reports per version",
                        r -> Reply.ok(versions(track(r)))));
    }

    private static Track track(Request r) {
        String name = r.path("name");
        if (!name.equals(HttpAnomalyModel.NAME)) {
            throw ApiError.notFound("no model '" + name + "': the models are " + HttpAnomalyModel.NAME);
        }
        return Track.model(name);
    }

    private Map<String, Object> score(Track track, Score body) throws Exception {
        if ((body.request() == null) == (body.requests() == null)) {
            throw ApiError.badRequest("give either 'request' (one) or 'requests' (a batch), not both or neither");
        }
        List<ToScore> batch = body.request() != null ? List.of(body.request()) : body.requests();
        if (batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw ApiError.badRequest("'requests' holds " + batch.size() + " requests; send 1 to " + MAX_BATCH + " per call");
        }
        Cohorts.Requested cohort;
        try {
            cohort = Cohorts.requested(body.cohort());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'cohort': " + e.getMessage());
        }
        List<HttpRequest> parsed = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            parsed.add(parse(batch.get(i), body.request() != null ? "request" : "requests[" + i + "]"));
        }
        Knowledge snapshot = services.knowledge().holder().current(); // one snapshot for the whole call
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            HttpRequest request = parsed.get(i);
            String client = batch.get(i).client();
            String key = client == null || client.isBlank() ? request.method() + " " + request.path() : client;
            long start = System.nanoTime();
            RolloutScores.Scored scored;
            try {
                scored = services.scores().score(snapshot, track, key, cohort, request);
            } catch (RolloutScores.NoModelException e) {
                throw ApiError.conflict(e.getMessage() + " (freshet models train " + HttpAnomalyModel.NAME + " --benign FILE)");
            }
            services.metrics().modelScored(track.name(), scored.releaseId(), scored.assessment().anomalous(), System.nanoTime() - start);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("release", scored.releaseId());
            result.put("candidate", scored.byCandidate());
            result.put("anomalous", scored.assessment().anomalous());
            result.put("score", scored.assessment().score());
            result.put("threshold", scored.assessment().threshold());
            result.put("findings", scored.assessment().findings().stream().map(ModelRoutes::finding).toList());
            results.add(result);
        }
        return body.request() != null ? results.getFirst() : Map.of("results", results);
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("where", f.where());
        json.put("feature", f.feature().name().toLowerCase(Locale.ROOT));
        json.put("reason", f.reason());
        json.put("hard", f.hard());
        json.put("severity", f.severity());
        return json;
    }

    private static HttpRequest parse(ToScore given, String field) {
        if (given == null) {
            throw ApiError.badRequest("'" + field + "' is null; send a request as {\"raw\": ...} or {\"method\", \"url\", ...}");
        }
        boolean raw = given.raw() != null;
        boolean parts = given.method() != null || given.url() != null || given.headers() != null || given.body() != null;
        if (raw == parts) {
            throw ApiError.badRequest("'" + field + "': give either 'raw' or 'method' and 'url' (with optional 'headers' and 'body')");
        }
        try {
            if (raw) {
                return HttpRequestParser.parseRaw(given.raw());
            }
            if (given.method() == null || given.url() == null) {
                throw ApiError.badRequest("'" + field + "': 'method' and 'url' are both needed");
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (given.headers() != null) {
                given.headers().forEach((name, value) -> {
                    if (value == null) {
                        throw ApiError.badRequest("'" + field + ".headers." + name + "' is null; give a string");
                    }
                    headers.add(Map.entry(name, value));
                });
            }
            return HttpRequestParser.fromParts(given.method(), given.url(), headers, given.body() == null ? "" : given.body());
        } catch (RequestParseException e) {
            throw ApiError.badRequest("'" + field + "': " + e.getMessage());
        }
    }

    private Map<String, Object> feedback(Track track, Feedback body, String keyId) {
        if (body.release() == null || body.release().isBlank()) {
            throw ApiError.badRequest("'release' is needed: the version that scored the request, as score returned it");
        }
        ModelFeedback.Kind kind;
        try {
            kind = ModelFeedback.Kind.valueOf(String.valueOf(body.kind()).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("'kind' is '" + body.kind() + "'; use false_positive or missed_attack");
        }
        HttpRequest request = parse(body.request(), "request");
        ModelFeedback.Report report;
        try {
            report = feedback.report(track, body.release(), kind, request, body.note(), keyId);
        } catch (ReleaseException e) {
            throw e.getMessage().startsWith("No release") ? ApiError.notFound(e.getMessage()) : ApiError.badRequest(e.getMessage());
        }
        services.metrics().modelFeedback(track.name(), report.releaseId(), kind.name().toLowerCase(Locale.ROOT));
        return Map.of("id", report.id(), "release", report.releaseId(), "kind", kind.name().toLowerCase(Locale.ROOT));
    }

    private List<Map<String, Object>> versions(Track track) {
        ModelReleases versions = services.models(); // track() admits this model's track only
        String active = versions.active().map(ModelVersion::release).orElse("");
        Map<String, Map<String, Long>> reports = new LinkedHashMap<>();
        feedback.counts(track).forEach(c -> reports.computeIfAbsent(c.releaseId(), id -> new LinkedHashMap<>())
                .put(c.kind().name().toLowerCase(Locale.ROOT), c.reports()));
        return versions.list().stream().map(v -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("release", v.release());
            json.put("artifact", v.digest());
            json.put("active", v.release().equals(active));
            json.put("created", v.created());
            json.put("passed", v.passed());
            json.put("reasons", v.reasons());
            json.put("threshold", v.threshold());
            json.put("evaluation", v.evaluation());
            json.put("provenance", v.provenance());
            json.put("reports", reports.getOrDefault(v.release(), Map.of()));
            return json;
        }).toList();
    }
}

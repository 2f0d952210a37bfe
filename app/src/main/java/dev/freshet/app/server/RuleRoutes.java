package dev.freshet.app.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.rules.Rule;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Release;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The rules of the release the engine applies now: search, and one rule with where it came from
 * (source, path, release, sha256) and its health (the gate's verdict, overrides on it).
 */
final class RuleRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The engine's snapshot with its release and compiled rules by id, rebuilt when the snapshot is swapped. */
    private record Indexed(Knowledge knowledge, Release release, Map<String, Rule> compiled, Map<String, Verdict> verdicts) {
    }

    private final Services services;
    /** Releases never change, so they are kept by id. */
    private final Cache<String, Release> releases = Caffeine.newBuilder().maximumSize(4).build();
    private volatile Indexed last;

    RuleRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/rules", Role.VIEWER,
                        "Search the active release's rules: ?q= matches id, message, source and path (any case)",
                        r -> search(r.query("q").orElse(""), limit(r.query("limit")))).query("q", "limit"),
                Route.get("/api/rules/{id}", Role.VIEWER, "One active rule with its provenance and the gate's verdict",
                        r -> Reply.ok(show(r.path("id")))));
    }

    private Indexed active() {
        Knowledge knowledge = services.knowledge().holder().current();
        if (knowledge == Knowledge.EMPTY) {
            throw new ApiError(503, "no release is active yet");
        }
        Indexed indexed = last;
        if (indexed != null && indexed.knowledge() == knowledge) {
            return indexed;
        }
        Release release = releases.get(knowledge.releaseId(), id -> services.releases().find(id)
                .orElseThrow(() -> new IllegalStateException("active release " + id + " is not stored")));
        indexed = new Indexed(knowledge, release,
                knowledge.rules().stream().collect(Collectors.toMap(Rule::id, Function.identity(), (a, b) -> a)),
                release.report().verdicts().stream().collect(Collectors.toMap(Verdict::ruleId, Function.identity(), (a, b) -> b)));
        last = indexed;
        return indexed;
    }

    private Reply search(String q, int limit) {
        Indexed active = active();
        String needle = q.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> found = active.release().rules().stream()
                .filter(rule -> needle.isEmpty() || matches(rule, active.compiled().get(rule.id()), needle))
                .limit(limit).map(rule -> summary(rule, active.compiled().get(rule.id()))).toList();
        return Reply.ok(Map.of("release_id", active.release().id(), "rules", found));
    }

    private static boolean matches(AcceptedRule rule, Rule compiled, String needle) {
        return Optional.ofNullable(compiled).map(Rule::message).orElse("").toLowerCase(Locale.ROOT).contains(needle)
                || (rule.id() + "\n" + rule.source() + "\n" + rule.path()).toLowerCase(Locale.ROOT).contains(needle);
    }

    private Map<String, Object> show(String id) {
        Indexed active = active();
        AcceptedRule rule = active.release().rules().stream().filter(r -> r.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiError.notFound("no rule '" + id + "' in the active release " + active.release().id()));
        Map<String, Object> json = summary(rule, active.compiled().get(id));
        json.put("release_id", active.release().id());
        json.put("yaml", rule.yaml());
        Verdict verdict = active.verdicts().get(id);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("verdict", verdict == null ? null : verdict.outcome().name().toLowerCase(Locale.ROOT));
        health.put("reason", verdict == null ? null : verdict.reason());
        health.put("compiled", active.compiled().containsKey(id));
        health.put("overrides", services.overrides().list().stream().filter(o -> o.ruleId().equals(id)).map(OverrideRoutes::describe).toList());
        json.put("health", health);
        return json;
    }

    private static Map<String, Object> summary(AcceptedRule rule, Rule compiled) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", rule.id());
        json.put("source", rule.source());
        json.put("path", rule.path());
        json.put("sha256", rule.sha256());
        json.put("severity", compiled == null ? null : compiled.severity());
        json.put("languages", compiled == null ? List.of() : compiled.languages());
        json.put("message", compiled == null ? null : compiled.message());
        return json;
    }

    static int limit(Optional<String> given) {
        if (given.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("limit must be a number from 1 to " + MAX_LIMIT + ", not '" + given.get() + "'");
    }
}

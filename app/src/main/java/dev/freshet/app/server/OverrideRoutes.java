package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.release.LocalOverride;
import dev.freshet.updates.release.OverrideChange;
import dev.freshet.updates.release.ReleaseException;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Local overrides of rules, re-applied to every release; the engine picks a change up at once. */
final class OverrideRoutes {
    /** An override: the rule and exactly one change. */
    record NewOverride(String ruleId, Boolean disable, String severity, List<String> excludePaths, String patternNot) {
    }

    private final Services services;

    OverrideRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/overrides", Role.VIEWER, "Local overrides of rules",
                        r -> Reply.ok(services.overrides().list().stream().map(OverrideRoutes::describe).toList())),
                Route.withBody(HandlerType.POST, "/api/overrides", Role.ADMIN,
                        "Override a rule: disable it, change its severity, exclude paths or add a pattern-not",
                        NewOverride.class, (r, body) -> {
                            if (body.ruleId() == null || body.ruleId().isBlank()) {
                                throw ApiError.badRequest("field 'rule_id' is required");
                            }
                            try {
                                LocalOverride added = services.overrides().add(body.ruleId(), change(body));
                                services.knowledge().refresh();
                                return Reply.created(describe(added));
                            } catch (ReleaseException e) {
                                throw ApiError.badRequest(e.getMessage());
                            }
                        }),
                Route.delete("/api/overrides/{id}", Role.ADMIN, "Remove an override by id", r -> {
                    long id;
                    try {
                        id = Long.parseLong(r.path("id"));
                    } catch (NumberFormatException e) {
                        throw ApiError.badRequest("override id '" + r.path("id") + "' is not a number");
                    }
                    if (!services.overrides().remove(id)) {
                        throw ApiError.notFound("no override with id " + id);
                    }
                    services.knowledge().refresh();
                    return Reply.ok(Map.of("removed", id));
                }));
    }

    private static OverrideChange change(NewOverride body) {
        long given = Stream.of(Boolean.TRUE.equals(body.disable()) ? "" : null, body.severity(), body.excludePaths(), body.patternNot())
                .filter(Objects::nonNull).count();
        if (given != 1) {
            throw ApiError.badRequest("give exactly one of 'disable': true, 'severity', 'exclude_paths', 'pattern_not'");
        }
        if (Boolean.TRUE.equals(body.disable())) {
            return new OverrideChange.Disable();
        }
        if (body.severity() != null) {
            return new OverrideChange.SetSeverity(body.severity());
        }
        if (body.excludePaths() != null) {
            return new OverrideChange.ExcludePaths(body.excludePaths());
        }
        return new OverrideChange.AddPatternNot(body.patternNot());
    }

    static Map<String, Object> describe(LocalOverride o) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", o.id());
        row.put("rule_id", o.ruleId());
        row.put("kind", o.change().kind().name().toLowerCase(Locale.ROOT));
        row.put("value", switch (o.change()) {
            case OverrideChange.Disable d -> null;
            case OverrideChange.SetSeverity s -> s.severity();
            case OverrideChange.ExcludePaths e -> e.globs();
            case OverrideChange.AddPatternNot p -> p.pattern();
        });
        row.put("base_sha256", o.baseSha256());
        row.put("created_at", o.createdAt());
        return row;
    }
}

package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.PlanOverride;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.rollout.Updater;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Releases, update checks, activation, rollback and history. */
final class ReleaseRoutes {
    /**
     * Optional body of activate: why, and how the release departs from its track's rollout plan
     * ({@code immediate}, which only an admin may ask for, or other steps).
     */
    record Activate(String reason, Boolean immediate, String rollout, String interval) {
        PlanOverride override() {
            try {
                return PlanOverride.of(Boolean.TRUE.equals(immediate), rollout, interval);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        }
    }

    /** Optional body of an update check: how its release departs from the policy's rollout plan. */
    record Check(Boolean immediate, String rollout, String interval) {
        PlanOverride override() {
            try {
                return PlanOverride.of(Boolean.TRUE.equals(immediate), rollout, interval);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage());
            }
        }
    }

    /** Optional body of rollback: the track (default rules), the release to go back to (default: the one before) and why. */
    record Rollback(String to, String reason, String track) {
    }

    private final Services services;
    private final ActivationService activations;
    /** One user-started check at a time; a second one waits for nothing and is told so. */
    private final ReentrantLock checking = new ReentrantLock();

    ReleaseRoutes(Services services) {
        this.services = services;
        this.activations = services.activations();
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/releases", Role.VIEWER, "All releases, newest first", r -> Reply.ok(services.releases().list())),
                Route.get("/api/releases/{id}", Role.VIEWER, "A release (id or unique prefix): its rules and the validation gate's report",
                        r -> Reply.ok(describe(find(r.path("id"))))),
                Route.get("/api/releases/{id}/diff", Role.VIEWER,
                        "Rules added, removed and changed against its parent, or against the release named by ?against=",
                        r -> Reply.ok(r.query("against").map(a -> store(() -> services.releases().diff(a, r.path("id"))))
                                .orElseGet(() -> find(r.path("id")).diff()))).query("against"),
                Route.withOptionalBody(HandlerType.POST, "/api/updates/check", Role.OPERATOR,
                        "Ask every enabled source for news now; validate, release and (as the policy allows) activate. A new release "
                                + "follows the policy's rollout plan unless the body says {\"immediate\": true} or gives "
                                + "{\"rollout\": \"shadow,5,25,50,100\", \"interval\": \"10m\"}",
                        Check.class, (r, body) -> check(body == null ? PlanOverride.POLICY : body.override())),
                Route.withOptionalBody(HandlerType.POST, "/api/releases/{id}/activate", Role.OPERATOR,
                        "Make a release active through its track's rollout plan (the policy's [rollout]), or as the body says: "
                                + "{\"rollout\": \"shadow,5,25,50,100\", \"interval\": \"10m\"}, or {\"immediate\": true} (admins only)",
                        Activate.class, (r, body) -> activate(r, body == null ? new Activate(null, null, null, null) : body)),
                Route.withOptionalBody(HandlerType.POST, "/api/rollback", Role.OPERATOR,
                        "Go back to the release active before the current one, or to the release named by 'to'",
                        Rollback.class, (r, body) -> change(true, () -> activations.rollback(
                                Track.of(body == null || body.track() == null ? Track.RULES.name() : body.track()),
                                Optional.ofNullable(body == null ? null : body.to()), Trigger.USER,
                                reason(body == null ? null : body.reason(), "rolled back through the API by key " + r.caller().keyId())))),
                Route.get("/api/history", Role.VIEWER, "Every activation and rollback, oldest first",
                        r -> Reply.ok(services.releases().history())));
    }

    private Release find(String id) {
        return store(() -> services.releases().find(id)).orElseThrow(() -> ApiError.notFound("no release '" + id + "'"));
    }

    private static <T> T store(Supplier<T> action) {
        try {
            return action.get();
        } catch (ReleaseException e) {
            throw e.kind() == ReleaseException.Kind.NOT_FOUND ? ApiError.notFound(e.getMessage()) : ApiError.badRequest(e.getMessage());
        }
    }

    private Map<String, Object> describe(Release release) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", release.id());
        json.put("created_at", release.createdAt());
        json.put("parent_id", release.parentId());
        json.put("active", services.releases().activeId(release.track()).filter(release.id()::equals).isPresent());
        json.put("rules", release.rules().stream().map(ReleaseRoutes::ruleRef).toList());
        json.put("diff", release.diff());
        json.put("gate", release.report().verdicts());
        json.put("refused_sources", release.report().failedSources());
        json.put("track", release.track().name());
        json.put("needs", release.needs());
        json.put("notes", release.notes()); // a model version's evaluation, provenance and refusals
        return json;
    }

    private static Map<String, Object> ruleRef(AcceptedRule rule) {
        return Map.of("id", rule.id(), "source", rule.source(), "path", rule.path(), "sha256", rule.sha256());
    }

    private Reply check(PlanOverride override) {
        if (!checking.tryLock()) {
            throw ApiError.conflict("an update check started through the API is still running; try again when it ends");
        }
        try {
            Updater.CheckResult result = services.metrics().check(Trigger.USER, () -> services.updater().check(Trigger.USER, override));
            services.afterCheck().accept(result);
            services.knowledge().refresh();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("sources", result.sources());
            json.put("release", result.release().map(Release::id).orElse(null));
            json.put("not_released", result.notReleased().orElse(null));
            json.put("decision", result.decision().orElse(null));
            json.put("activation", result.activation().orElse(null));
            json.put("rollout", activations.rollouts().unfinished(Track.RULES)
                    .filter(rollout -> result.release().map(Release::id).filter(rollout.releaseId()::equals).isPresent()).orElse(null));
            json.put("automatic_rollback", result.automaticRollback().orElse(null));
            return Reply.ok(json);
        } finally {
            checking.unlock();
        }
    }

    /** Activation by a person: through the plan, unless an admin asks for it at once. */
    private Reply activate(Request r, Activate body) {
        if (Boolean.TRUE.equals(body.immediate()) && !r.caller().role().includes(Role.ADMIN)) {
            throw new ApiError(403, "activating at once, past the track's rollout plan, needs the admin role; the key has "
                    + r.caller().role().lowerCase());
        }
        String reason = reason(body.reason(), "applied through the API by key " + r.caller().keyId());
        Optional<RolloutPlan> plan = body.override().apply(store(() -> services.updater().rolloutPlan(PlanOverride.POLICY)));
        Optional<Rollout> rollout = store(() -> activations.rollouts().start(r.path("id"), plan, reason));
        if (rollout.isPresent()) {
            services.knowledge().refresh();
            return Reply.ok(Map.of("rollout", rollout.get()));
        }
        services.metrics().activated(Trigger.USER, false);
        services.knowledge().refresh();
        Release release = find(r.path("id"));
        return Reply.ok(services.releases().history(release.track()).getLast());
    }

    private Reply change(boolean rollback, Supplier<Activation> change) {
        Activation activation = store(change);
        services.metrics().activated(Trigger.USER, rollback);
        services.knowledge().refresh();
        return Reply.ok(activation);
    }

    private static String reason(String given, String fallback) {
        return given == null || given.isBlank() ? fallback : given;
    }
}

package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutEngine;
import dev.freshet.updates.rollout.RolloutStatus;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.function.Supplier;

/** Rollouts: viewers read them, operators promote, pause, resume and abort them. The track is a query parameter (default rules). */
final class RolloutRoutes {
    /** Optional body of an action: why. */
    record Act(String reason) {
    }

    private interface Action {
        Rollout apply(Track track, String reason);
    }

    private final Services services;
    private final RolloutEngine engine;

    RolloutRoutes(Services services) {
        this.services = services;
        this.engine = services.activations().rollouts();
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/rollouts", Role.VIEWER, "Rollouts under way on every track",
                        r -> Reply.ok(engine.unfinished().stream().map(this::status).toList())),
                Route.get("/api/rollouts/current", Role.VIEWER,
                        "The newest rollout of the track (?track=, default rules): step, time to promotion, analysis, findings changed per rule",
                        r -> Reply.ok(status(engine.latest(track(r)).orElseThrow(() ->
                                ApiError.notFound("no rollout on " + track(r) + " yet"))))).query("track"),
                act("promote", "Move the rollout to its next step now (before 100: make the release live)", engine::promote),
                act("pause", "Hold the rollout at its step", engine::pause),
                act("resume", "Continue a paused rollout with a fresh analysis window", engine::resume),
                act("abort", "Drop the candidate; the stable release stays", engine::abort));
    }

    private Route act(String name, String summary, Action action) {
        return Route.withOptionalBody(HandlerType.POST, "/api/rollouts/" + name, Role.OPERATOR, summary + " (?track=, default rules)",
                Act.class, (r, body) -> Reply.ok(status(store(() -> action.apply(track(r), body != null && body.reason() != null
                        ? body.reason() : name + " through the API by key " + r.caller().keyId()))))).query("track");
    }

    private RolloutStatus status(Rollout rollout) {
        return RolloutStatus.of(engine, rollout, services.clock().instant());
    }

    private static Track track(Request r) {
        return store(() -> Track.of(r.query("track").orElse(Track.RULES.name())));
    }

    private static <T> T store(Supplier<T> action) {
        try {
            return action.get();
        } catch (ReleaseException e) {
            throw e.kind() == ReleaseException.Kind.NOT_FOUND ? ApiError.notFound(e.getMessage()) : ApiError.badRequest(e.getMessage());
        }
    }
}

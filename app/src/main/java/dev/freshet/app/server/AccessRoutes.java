package dev.freshet.app.server;

import dev.freshet.updates.access.AccessException;
import dev.freshet.updates.access.Actor;
import dev.freshet.updates.access.ApiKey;
import dev.freshet.updates.access.NewKey;
import dev.freshet.updates.access.Role;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tenants (for global admins) and API keys (for admins, within their own tenant), and who the
 * caller is. A new key's secret is in the answer to its creation and nowhere else.
 */
final class AccessRoutes {
    record NewTenant(String name) {
    }

    /** A key to make: for the caller's own tenant when {@code tenant} is left out. */
    record NewKeyRequest(String tenant, String role, String label) {
    }

    private final Services services;
    private final Runnable keysChanged;

    AccessRoutes(Services services, Runnable keysChanged) {
        this.services = services;
        this.keysChanged = keysChanged;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/whoami", Role.VIEWER, "The calling key's tenant, id and role", r -> Reply.ok(Map.of("tenant", r.tenant(),
                        "key_id", r.caller().keyId(), "role", r.caller().role().lowerCase()))),
                Route.get("/api/tenants", Role.GLOBAL_ADMIN, "All tenants", r -> Reply.ok(services.access().tenants())),
                Route.withBody(HandlerType.POST, "/api/tenants", Role.GLOBAL_ADMIN, "Create a tenant", NewTenant.class,
                        (r, body) -> Reply.created(access(() -> services.access().createTenant(body.name())))),
                Route.delete("/api/tenants/{name}", Role.GLOBAL_ADMIN,
                        "Delete a tenant: its keys are revoked, its projects and scans removed", r -> {
                            var removal = access(() -> services.access().deleteTenant(actor(r), r.path("name")));
                            keysChanged.run();
                            return Reply.ok(removal);
                        }),
                Route.get("/api/keys", Role.ADMIN, "API keys (never their secrets) of the caller's tenant; a global admin: of one ?tenant= or all",
                        r -> Reply.ok(access(() -> services.access().keys(actor(r), r.query("tenant").orElse(null))).stream()
                                .map(ApiKey::description).toList()))
                        .query("tenant"),
                Route.withBody(HandlerType.POST, "/api/keys", Role.ADMIN, "Create an API key; its secret is shown in this answer only",
                        NewKeyRequest.class, (r, body) -> {
                            String tenant = body.tenant() == null ? r.tenant() : body.tenant();
                            NewKey made = access(() -> services.access().createKey(actor(r), tenant, Role.parse(body.role()), body.label()));
                            Map<String, Object> json = made.key().description();
                            json.put("key", made.secret());
                            return Reply.created(json);
                        }),
                Route.delete("/api/keys/{id}", Role.ADMIN, "Revoke an API key", r -> {
                    if (!access(() -> services.access().revoke(actor(r), r.path("id")))) {
                        throw ApiError.notFound("no valid API key with id '" + r.path("id") + "'");
                    }
                    keysChanged.run();
                    return Reply.ok(Map.of("revoked", r.path("id")));
                }));
    }

    private static Actor actor(Request r) {
        return new Actor(r.tenant(), r.caller().role());
    }

    private static <T> T access(Supplier<T> action) {
        try {
            return action.get();
        } catch (AccessException e) {
            throw new ApiError(switch (e.kind()) {
                case INVALID -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            }, e.getMessage());
        }
    }
}

package dev.freshet.app.server;

import dev.freshet.updates.access.AccessException;
import dev.freshet.updates.access.ApiKey;
import dev.freshet.updates.access.NewKey;
import dev.freshet.updates.access.Role;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;

/**
 * Tenants and API keys, for admins (who run the service for every tenant), and who the caller is.
 * A new key's secret is in the answer to its creation and nowhere else.
 */
final class AccessRoutes {
    record NewTenant(String name) {
    }

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
                Route.get("/api/tenants", Role.ADMIN, "All tenants", r -> Reply.ok(services.access().tenants())),
                Route.withBody(HandlerType.POST, "/api/tenants", Role.ADMIN, "Create a tenant", NewTenant.class,
                        (r, body) -> Reply.created(access(() -> services.access().createTenant(body.name())))),
                Route.get("/api/keys", Role.ADMIN, "API keys (never their secrets), of one ?tenant= or all",
                        r -> Reply.ok(services.access().keys(r.query("tenant").orElse(null)).stream().map(ApiKey::description).toList()))
                        .query("tenant"),
                Route.withBody(HandlerType.POST, "/api/keys", Role.ADMIN, "Create an API key; its secret is shown in this answer only",
                        NewKeyRequest.class, (r, body) -> {
                            if (body.tenant() == null) {
                                throw ApiError.badRequest("field 'tenant' is required");
                            }
                            NewKey made = access(() -> services.access().createKey(body.tenant(), Role.parse(body.role()), body.label()));
                            Map<String, Object> json = made.key().description();
                            json.put("key", made.secret());
                            return Reply.created(json);
                        }),
                Route.delete("/api/keys/{id}", Role.ADMIN, "Revoke an API key", r -> {
                    if (!services.access().revoke(r.path("id"))) {
                        throw ApiError.notFound("no valid API key with id '" + r.path("id") + "'");
                    }
                    keysChanged.run();
                    return Reply.ok(Map.of("revoked", r.path("id")));
                }));
    }

    private static <T> T access(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (AccessException e) {
            throw e.getMessage().contains("already exists") ? ApiError.conflict(e.getMessage()) : ApiError.badRequest(e.getMessage());
        }
    }
}

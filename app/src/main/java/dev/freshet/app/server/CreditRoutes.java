package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.Tier;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Plans and credits: a tenant reads its own balance and ledger; global admins grant credits and set
 * plans. Custom rules themselves are asked for with a scan ({@code custom_rules} on POST /api/scans).
 */
final class CreditRoutes {
    /** A grant; {@code key} makes a retried grant count once (a new key is made when it is left out). */
    record Grant(String tenant, Long amount, String key, String reason) {
    }

    record PlanChange(String plan) {
    }

    private final Services services;

    CreditRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/credits", Role.VIEWER, "The caller's tenant: its plan and credit balance; a global admin: of ?tenant=",
                        r -> {
                            String tenant = tenant(r);
                            return Reply.ok(credits(() -> Map.of("tenant", tenant, "plan", services.credits().tier(tenant).id(),
                                    "balance", services.credits().balance(tenant))));
                        }).query("tenant"),
                Route.get("/api/credits/ledger", Role.VIEWER, "The caller's tenant's credit ledger, oldest entry first; a global admin: of ?tenant=",
                        r -> Reply.ok(credits(() -> services.credits().ledger(tenant(r))))).query("tenant"),
                Route.withBody(HandlerType.POST, "/api/credits/grants", Role.GLOBAL_ADMIN,
                        "Grant credits to a tenant; the same key grants once", Grant.class, (r, body) -> {
                            if (body.tenant() == null || body.amount() == null) {
                                throw ApiError.badRequest("a grant needs tenant and amount");
                            }
                            return Reply.created(credits(() -> services.credits().grant(body.tenant(), body.amount(),
                                    body.key() == null ? "grant-" + UUID.randomUUID() : body.key(),
                                    body.reason() == null ? "granted by " + r.tenant() : body.reason())));
                        }),
                Route.withBody(HandlerType.PUT, "/api/tenants/{name}/plan", Role.GLOBAL_ADMIN,
                        "Put a tenant on a plan: free, standard or premium", PlanChange.class, (r, body) -> credits(() -> {
                            Tier tier = Tier.of(body.plan());
                            Tier before = services.credits().setTier(r.path("name"), tier);
                            return Reply.ok(Map.of("tenant", r.path("name"), "plan", tier.id(), "previous", before.id()));
                        })));
    }

    /** The tenant asked about: the caller's own, or any for a global admin. */
    private static String tenant(Request r) {
        String asked = r.query("tenant").orElse(r.tenant());
        if (!asked.equals(r.tenant()) && r.caller().role() != Role.GLOBAL_ADMIN) {
            throw new ApiError(403, "only a global admin may read another tenant's credits");
        }
        return asked;
    }

    /** Runs {@code action}, answering a refusal with its status: 400, 402, 403, 404 or 409. */
    static <T> T credits(Supplier<T> action) {
        try {
            return action.get();
        } catch (CreditException e) {
            throw new ApiError(switch (e.kind()) {
                case INVALID -> 400;
                case INSUFFICIENT -> 402;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            }, e.getMessage());
        }
    }
}

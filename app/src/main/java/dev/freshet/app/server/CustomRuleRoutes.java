package dev.freshet.app.server;

import dev.freshet.updates.access.Role;
import dev.freshet.updates.generation.CustomRules;
import java.util.List;

/**
 * A request for custom rules as a job the client polls (it is made off the request path), and a
 * tenant's rule library. A tenant sees only its own; a global admin sees any.
 */
final class CustomRuleRoutes {
    /** Where a client polls a request for custom rules. */
    static String location(String requestId) {
        return "/api/custom-rules/" + requestId;
    }

    /** A tenant's library: its track and each rule with its status, generation metadata and creation time. */
    record Library(String tenant, String track, List<CustomRules.ListedRule> rules) {
    }

    private final Services services;

    CustomRuleRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/custom-rules/{id}", Role.VIEWER,
                        "A request for custom rules: state accepted while its rules are made (failure: why the last attempt "
                                + "failed), then done with the result ({\"rules\": [{id, outcome, attempts, reason, yaml}], "
                                + "\"charges\": {processing, success, refunded, total}}) and the id of the scan queued after it; failed "
                                + "(with failure) when it could not be made in " + CustomRules.MAX_CLAIMS + " attempts, the rules not made refunded", r -> Reply.ok(services.customRules()
                                .status(r.tenant(), r.path("id"), r.caller().role() == Role.GLOBAL_ADMIN)
                                .orElseThrow(() -> ApiError.notFound("no request for custom rules '" + r.path("id") + "'")))),
                Route.get("/api/tenants/{name}/rules", Role.VIEWER,
                        "A tenant's rule library: each rule with its status (live, rolling-out, not-live on the track "
                                + "tenants/<name>/rules), generation metadata and creation time; a tenant reads its own (others: 404), a global admin any",
                        r -> {
                            String tenant = r.path("name");
                            // Another tenant's library is not found, as another tenant's request is: no one learns which tenants exist.
                            boolean mayRead = tenant.equals(r.tenant()) || r.caller().role() == Role.GLOBAL_ADMIN;
                            if (!mayRead || services.access().tenant(tenant).isEmpty()) {
                                throw ApiError.notFound("no tenant '" + tenant + "' whose rules you may read");
                            }
                            return Reply.ok(new Library(tenant, CustomRules.trackOf(tenant).name(), services.customRules().listing(tenant)));
                        }));
    }
}

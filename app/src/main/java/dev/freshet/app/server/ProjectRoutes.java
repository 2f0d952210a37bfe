package dev.freshet.app.server;

import dev.freshet.updates.access.AccessException;
import dev.freshet.updates.access.Role;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;

/** The caller's tenant's watched projects and their findings; other tenants' projects do not exist here. */
final class ProjectRoutes {
    /** A project to watch: a name of the tenant's choosing and a directory the server may read. */
    record NewProject(String name, String path) {
    }

    private final Services services;

    ProjectRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/projects", Role.VIEWER, "The tenant's watched projects", r -> Reply.ok(services.projects().list(r.tenant()))),
                Route.withBody(HandlerType.POST, "/api/projects", Role.OPERATOR,
                        "Watch a project directory (under the server's readable roots)", NewProject.class, (r, body) -> {
                            var directory = services.readable().check(body.path());
                            try {
                                return Reply.created(services.projects().add(r.tenant(), body.name(), directory));
                            } catch (AccessException e) {
                                throw e.kind() == AccessException.Kind.CONFLICT ? ApiError.conflict(e.getMessage())
                                        : ApiError.badRequest(e.getMessage());
                            }
                        }),
                Route.delete("/api/projects/{name}", Role.OPERATOR, "Stop watching a project (its findings go too)", r -> {
                    if (!services.projects().remove(r.tenant(), r.path("name"))) {
                        throw ApiError.notFound("no project named '" + r.path("name") + "'");
                    }
                    return Reply.ok(Map.of("removed", r.path("name")));
                }),
                Route.get("/api/projects/{name}/findings", Role.VIEWER,
                        "What the project's dependencies are vulnerable to (kind dependency) and what the code rules find in it (kind code); ?all=true includes resolved ones", r -> {
                            String name = r.path("name");
                            if (services.projects().find(r.tenant(), name).isEmpty()) {
                                throw ApiError.notFound("no project named '" + name + "'");
                            }
                            boolean all = r.query("all").map(v -> switch (v) {
                                case "true" -> true;
                                case "false" -> false;
                                default -> throw ApiError.badRequest("all must be true or false, not '" + v + "'");
                            }).orElse(false);
                            return Reply.ok(services.projects().findings(r.tenant(), name, all));
                        }).query("all"));
    }
}

package dev.freshet.app.server;

import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.access.Role;
import dev.freshet.updates.sources.AdvisorySource;
import dev.freshet.updates.sources.Channel;
import dev.freshet.updates.sources.GitSource;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.sources.SourceUrls;
import io.javalin.http.HandlerType;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rule sources. Their schedules are read when the service starts, so a source added or enabled
 * here is checked by {@code POST /api/updates/check} at once and on its schedule after a restart.
 */
final class SourceRoutes {
    /**
     * A source to add.
     *
     * @param kind     dir, git, signed or advisories
     * @param location dir: a directory on the server; git: a repository URL; signed: the repository's base URL
     * @param root     signed: the trusted root.json, a file on the server
     */
    record NewSource(String name, String kind, String location, String branch, List<String> paths,
                     List<String> trustedAuthors, String root, List<String> ecosystems, String channel, String schedule,
                     Integer priority, Boolean testsRequired) {
    }

    private final Services services;

    SourceRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/api/sources", Role.VIEWER, "Rule sources and their last check", r -> Reply.ok(
                        services.sources().list().stream().map(SourceRoutes::describe).toList())),
                Route.withBody(HandlerType.POST, "/api/sources", Role.ADMIN, "Add a rule source", NewSource.class, (r, body) -> {
                    RuleSource source = source(body);
                    try {
                        services.sources().add(source);
                    } catch (IllegalArgumentException e) {
                        throw ApiError.conflict(e.getMessage());
                    }
                    return Reply.created(describe(services.sources().find(source.name()).orElseThrow()));
                }),
                Route.post("/api/sources/{name}/enable", Role.ADMIN, "Check this source again", r -> toggle(r.path("name"), true)),
                Route.post("/api/sources/{name}/disable", Role.ADMIN, "Stop checking this source (its rules stay until the next release)",
                        r -> toggle(r.path("name"), false)),
                Route.delete("/api/sources/{name}", Role.ADMIN, "Remove a source", r -> {
                    if (!services.sources().remove(r.path("name"))) {
                        throw ApiError.notFound("no source named '" + r.path("name") + "'");
                    }
                    return Reply.ok(Map.of("removed", r.path("name")));
                }));
    }

    private Reply toggle(String name, boolean enabled) {
        SourceRegistry.Entry entry = services.sources().find(name).orElseThrow(() -> ApiError.notFound("no source named '" + name + "'"));
        services.sources().update(entry.source().withSettings(entry.source().settings().withEnabled(enabled)));
        return Reply.ok(describe(services.sources().find(name).orElseThrow()));
    }

    private RuleSource source(NewSource body) {
        if (body.name() == null || body.kind() == null) {
            throw ApiError.badRequest("fields 'name' and 'kind' (dir, git, signed or advisories) are required");
        }
        String schedule = body.schedule() == null ? SourceSettings.HOURLY : body.schedule();
        try {
            com.github.kagkarlsson.scheduler.task.schedule.Schedules.cron(schedule);
        } catch (RuntimeException e) {
            throw ApiError.badRequest("field 'schedule': '" + schedule + "' is not a cron expression with seconds, such as '"
                    + SourceSettings.HOURLY + "'");
        }
        try {
            SourceSettings settings = new SourceSettings(Channel.parse(body.channel() == null ? "stable" : body.channel()), schedule,
                    body.priority() == null ? 0 : body.priority(), true, Boolean.TRUE.equals(body.testsRequired()));
            return switch (body.kind()) {
                case "dir" -> new LocalDirectorySource(body.name(), services.readable().check(body.location()), settings);
                case "git" -> new GitSource(body.name(), readableIfLocal(required(body.location(), "location")),
                        body.branch() == null ? "main" : body.branch(),
                        body.paths() == null ? List.of() : body.paths(),
                        Set.copyOf(body.trustedAuthors() == null ? List.of() : body.trustedAuthors()), settings);
                case "signed" -> {
                    Path root = Path.of(required(body.root(), "root"));
                    if (!Files.isRegularFile(root)) {
                        throw ApiError.badRequest("field 'root': " + root + " is not a file on the server");
                    }
                    services.readable().check(root.toAbsolutePath().getParent().toString());
                    String location = readableIfLocal(required(body.location(), "location"));
                    if (!location.matches("(?i)(https?|file):.*")) {
                        throw ApiError.badRequest("field 'location': a signed repository is an http, https or file URL, not '"
                                + SourceUrls.redact(location) + "'");
                    }
                    yield new SignedRepositorySource(body.name(), URI.create(location).toURL(), root, settings);
                }
                case "advisories" -> new AdvisorySource(body.name(), ecosystems(body.ecosystems()), settings);
                default -> throw ApiError.badRequest("field 'kind': '" + body.kind() + "' is not one of dir, git, signed, advisories");
            };
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /** A location on this machine (a file: URL, a git path) must lie under a read root, as a dir source must. */
    private String readableIfLocal(String location) {
        SourceUrls.localPath(location).ifPresent(path -> services.readable().check(path.toString()));
        return location;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiError.badRequest("field '" + field + "' is required for this kind of source");
        }
        return value;
    }

    private static Set<Ecosystem> ecosystems(List<String> names) {
        return (names == null ? List.<String>of() : names).stream().map(n -> Ecosystem.fromNamespace(n).orElseThrow(() ->
                ApiError.badRequest("unknown ecosystem '" + n + "': use npm, pypi, gomod, cargo, maven, gem or composer")))
                .collect(Collectors.toSet());
    }

    static Map<String, Object> describe(SourceRegistry.Entry e) {
        RuleSource s = e.source();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", s.name());
        row.put("kind", switch (s) {
            case LocalDirectorySource l -> "dir";
            case GitSource g -> "git";
            case SignedRepositorySource r -> "signed";
            case AdvisorySource a -> "advisories";
        });
        row.put("location", switch (s) {
            case LocalDirectorySource l -> l.dir().toString();
            case GitSource g -> SourceUrls.redact(g.url());
            case SignedRepositorySource r -> SourceUrls.redact(r.baseUrl().toString());
            case AdvisorySource a -> a.ecosystems().stream().map(Ecosystem::namespace).sorted().collect(Collectors.joining(","));
        });
        row.put("enabled", s.settings().enabled());
        row.put("priority", s.settings().priority());
        row.put("channel", s.settings().channel().toString());
        row.put("schedule", s.settings().schedule());
        row.put("last_revision", e.lastRevision().orElse(null));
        row.put("last_checked_at", e.lastCheckedAt().orElse(null));
        row.put("last_error", e.lastError().orElse(null));
        return row;
    }
}

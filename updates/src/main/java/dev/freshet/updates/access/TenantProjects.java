package dev.freshet.updates.access;

import dev.freshet.updates.projects.Project;
import dev.freshet.updates.projects.ProjectFinding;
import dev.freshet.updates.projects.ProjectMonitor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Watched projects seen through one tenant: a tenant names its projects freely, the monitor keeps
 * them as {@code tenant.name} so names never clash, and table {@code tenant_projects} records the
 * owner. A tenant sees, scans and removes only its own projects.
 */
public final class TenantProjects {
    private static final Pattern LOCAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,38}");

    private final Jdbi jdbi;
    private final ProjectMonitor monitor;

    public TenantProjects(Jdbi jdbi, ProjectMonitor monitor) {
        this.jdbi = jdbi;
        this.monitor = monitor;
    }

    /** Starts watching a directory for the tenant, under the tenant's name for it. */
    public Project add(String tenant, String name, Path directory) {
        if (name == null || !LOCAL_NAME.matcher(name).matches()) {
            throw new AccessException("project name '" + name
                    + "' must be 1-39 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (find(tenant, name).isPresent()) {
            throw new AccessException(AccessException.Kind.CONFLICT, "a project named '" + name + "' is already watched; remove it first");
        }
        String stored = tenant + "." + name;
        try {
            monitor.add(stored, directory);
        } catch (IllegalArgumentException e) {
            throw new AccessException(e.getMessage().replace(stored, name));
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO tenant_projects (project, tenant, local_name) VALUES (:p, :t, :n)")
                    .bind("p", stored).bind("t", tenant).bind("n", name).execute());
        } catch (RuntimeException e) {
            monitor.remove(stored);
            throw e;
        }
        return local(monitor.find(stored).orElseThrow(), name);
    }

    /** The tenant's projects, under the tenant's names for them. */
    public List<Project> list(String tenant) {
        List<Owned> owned = owned(tenant);
        return monitor.list().stream().flatMap(p -> owned.stream().filter(o -> o.project().equals(p.name()))
                .map(o -> local(p, o.localName()))).toList();
    }

    public Optional<Project> find(String tenant, String name) {
        return list(tenant).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public boolean remove(String tenant, String name) {
        return stored(tenant, name).map(monitor::remove).orElse(false);
    }

    /** Findings of one of the tenant's projects, or of all its projects with null; empty for a project it does not own. */
    public List<ProjectFinding> findings(String tenant, String name, boolean includeResolved) {
        List<Owned> owned = owned(tenant).stream().filter(o -> name == null || o.localName().equals(name)).toList();
        return owned.stream().flatMap(o -> monitor.findings(o.project(), includeResolved).stream()
                .map(f -> f.inProject(o.localName()))).toList();
    }

    private Optional<String> stored(String tenant, String name) {
        return owned(tenant).stream().filter(o -> o.localName().equals(name)).map(Owned::project).findFirst();
    }

    private record Owned(String project, String localName) {
    }

    private List<Owned> owned(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT project, local_name FROM tenant_projects WHERE tenant = :t ORDER BY local_name")
                .bind("t", tenant).map((rs, ctx) -> new Owned(rs.getString(1), rs.getString(2))).list());
    }

    private static Project local(Project project, String localName) {
        return new Project(localName, project.path(), project.addedAt(), project.lastScanAt(), project.stack());
    }
}

package dev.freshet.updates.projects;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.lockfile.Lockfiles;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.scan.DependencyScan;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import dev.freshet.engine.scan.Scanner;
import dev.freshet.engine.scan.SourceFiles;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.store.SharedWrites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched projects (table {@code projects}), what their dependencies are found vulnerable to
 * (table {@code project_findings}) and what the code rules find in them ({@code project_code_findings}).
 * {@link #scanAll} matches every project against a knowledge snapshot and records findings with when
 * they were first seen, so a new advisory's way from a feed to a finding in a project can be timed.
 * Given a caching scanner, a rescan after an activation runs only the added or changed rules on files
 * that did not change.
 */
public final class ProjectMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectMonitor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbi jdbi;
    private final Scanner scanner;
    private final Clock clock;

    public ProjectMonitor(Jdbi jdbi, Scanner scanner, Clock clock) {
        this.jdbi = jdbi;
        this.scanner = scanner;
        this.clock = clock;
    }

    public void add(String name, Path path) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("project name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("not a directory: " + path);
        }
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("a project named '" + name + "' is already watched; remove it first");
        }
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO projects (name, path, added_at) VALUES (:name, :path, :now)")
                .bind("name", name).bind("path", path.toAbsolutePath().normalize().toString()).bind("now", clock.millis())
                .execute());
    }

    public boolean remove(String name) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM project_findings WHERE project = :name").bind("name", name).execute();
            h.createUpdate("DELETE FROM project_code_findings WHERE project = :name").bind("name", name).execute();
            return h.createUpdate("DELETE FROM projects WHERE name = :name").bind("name", name).execute() > 0;
        });
    }

    public List<Project> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM projects ORDER BY name")
                .map((rs, ctx) -> new Project(rs.getString("name"), Path.of(rs.getString("path")),
                        Instant.ofEpochMilli(rs.getLong("added_at")),
                        rs.getObject("last_scan_at") == null ? null : Instant.ofEpochMilli(rs.getLong("last_scan_at")),
                        rs.getString("stack"))).list());
    }

    public Optional<Project> find(String name) {
        return list().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Findings of one project (or all with null), dependencies then code, open ones first, newest first. */
    public List<ProjectFinding> findings(String project, boolean includeResolved) {
        // Conditions spelled out rather than ":p IS NULL OR ...": PostgreSQL cannot type a bare null parameter.
        String where = (project == null ? "1 = 1" : "project = :project") + (includeResolved ? "" : " AND resolved_at IS NULL");
        Map<String, Object> parameters = project == null ? Map.of() : Map.of("project", project);
        return jdbi.withHandle(h -> {
            List<ProjectFinding> found = new ArrayList<>(h.createQuery("SELECT * FROM project_findings WHERE " + where
                            + " ORDER BY resolved_at IS NOT NULL, first_seen DESC, advisory_id, package")
                    .bindMap(parameters)
                    .map((rs, ctx) -> new ProjectFinding.Dependency(rs.getString("project"), rs.getString("advisory_id"),
                            rs.getString("package"), rs.getString("version"), rs.getString("lockfile"), rs.getString("ecosystem"),
                            rs.getString("reachability"), rs.getString("release_id"), Instant.ofEpochMilli(rs.getLong("first_seen")),
                            Instant.ofEpochMilli(rs.getLong("last_seen")), instantOrNull(rs.getObject("resolved_at"))))
                    .list());
            found.addAll(h.createQuery("SELECT * FROM project_code_findings WHERE " + where
                            + " ORDER BY resolved_at IS NOT NULL, first_seen DESC, path, line, rule_id")
                    .bindMap(parameters)
                    .map((rs, ctx) -> new ProjectFinding.Code(rs.getString("project"), rs.getString("rule_id"), rs.getString("severity"),
                            rs.getString("path"), rs.getInt("line"), rs.getString("message"), rs.getString("fingerprint"),
                            rs.getString("release_id"), Instant.ofEpochMilli(rs.getLong("first_seen")),
                            Instant.ofEpochMilli(rs.getLong("last_seen")), instantOrNull(rs.getObject("resolved_at"))))
                    .list());
            return found;
        });
    }

    private static Instant instantOrNull(Object epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(((Number) epochMillis).longValue());
    }

    /** The ecosystems of every watched project's stack, detected now; empty when no project is watched. */
    public Set<Ecosystem> watchedEcosystems() {
        Set<Ecosystem> ecosystems = new HashSet<>();
        for (Project project : list()) {
            try {
                ecosystems.addAll(stack(project, Lockfiles.findAll(project.path(), e -> { }), List.of()).ecosystems());
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("project {}: cannot read {}: {}", project.name(), project.path(), e.getMessage());
            }
        }
        return ecosystems;
    }

    private static Stack stack(Project project, List<Dependency> dependencies, List<Path> sourceFiles) throws IOException {
        return Stack.detect(sourceFiles, manifests(project.path()), dependencies);
    }

    /** Scans every watched project against {@code knowledge}; returns the findings that are new. */
    public List<ProjectFinding> scanAll(Knowledge knowledge) {
        List<ProjectFinding> fresh = new ArrayList<>();
        for (Project project : list()) {
            try {
                fresh.addAll(scan(project, knowledge));
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("project {}: cannot scan {}: {}", project.name(), project.path(), e.getMessage());
            }
        }
        return fresh;
    }

    private List<ProjectFinding> scan(Project project, Knowledge knowledge) throws IOException {
        DependencyScan.Pinned pinned = DependencyScan.pinned(List.of(project.path()));
        pinned.problems().forEach(problem -> LOG.warn("project {}: {}: {}", project.name(), problem.file(), problem.message()));
        SourceFiles.Selection sources = new SourceFiles().collect(List.of(project.path()));
        Stack stack = stack(project, pinned.dependencies(), sources.files());
        List<Rule> dependencyRules = knowledge.rules().stream().filter(Rule::isDependencyRule)
                .filter(rule -> rule.dependsOn().stream().anyMatch(p -> stack.ecosystems().contains(p.ecosystem()))).toList();
        // Only the reachability patterns run over code here, and only for versions that matched.
        List<DependencyFinding> found = DependencyScan.scan(scanner, dependencyRules, sources.files(), project.path(), pinned, n -> { })
                .dependencies();
        List<Rule> codeRules = knowledge.rules().stream().filter(rule -> !rule.isDependencyRule()).toList();
        ScanResult code = scanner.scan(codeRules, sources.files(), project.path(), n -> { }, MAX_CODE_FINDINGS);
        code.problems().forEach(problem -> LOG.warn("project {}: {}: {}", project.name(), problem.file(), problem.message()));
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            SharedWrites.lock(h, "project " + project.name()); // nodes scanning one project record its findings in turn
            List<ProjectFinding> fresh = record(h, project, knowledge.releaseId(), stack, found, now);
            fresh.addAll(recordCode(h, project, knowledge.releaseId(), code, now));
            return fresh;
        });
    }

    /** The most code findings kept per project and scan: beyond it the scan stops and nothing is marked resolved. */
    static final int MAX_CODE_FINDINGS = 10_000;

    /**
     * Records the code rules' findings; those of earlier scans not found again are resolved, except in
     * files this scan could not read or finish (their findings are unknown, not gone) and after a scan
     * stopped at its limit.
     */
    private List<ProjectFinding> recordCode(Handle h, Project project, String releaseId, ScanResult scan, long now) {
        List<ProjectFinding> fresh = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Finding finding : scan.findings()) {
            String path = relativePath(project, finding.file());
            String fingerprint = Fingerprint.of(finding.ruleId(), path, finding.code());
            if (!seen.add(fingerprint)) {
                continue; // the same code matched twice in one file is one finding
            }
            int updated = h.createUpdate("""
                            UPDATE project_code_findings SET last_seen = :now, resolved_at = NULL, line = :line, severity = :severity,
                                                             message = :message
                            WHERE project = :project AND fingerprint = :fingerprint""")
                    .bind("now", now).bind("line", finding.startLine()).bind("severity", finding.severity().name())
                    .bind("message", finding.message()).bind("project", project.name()).bind("fingerprint", fingerprint).execute();
            if (updated == 0) {
                h.createUpdate("""
                                INSERT INTO project_code_findings (project, fingerprint, rule_id, severity, path, line, message,
                                                                   release_id, first_seen, last_seen)
                                VALUES (:project, :fingerprint, :rule, :severity, :path, :line, :message, :release, :now, :now)""")
                        .bind("project", project.name()).bind("fingerprint", fingerprint).bind("rule", finding.ruleId())
                        .bind("severity", finding.severity().name()).bind("path", path).bind("line", finding.startLine())
                        .bind("message", finding.message()).bind("release", releaseId).bind("now", now).execute();
                fresh.add(new ProjectFinding.Code(project.name(), finding.ruleId(), finding.severity().name(), path, finding.startLine(),
                        finding.message(), fingerprint, releaseId, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), null));
            }
        }
        if (scan.problems().stream().anyMatch(problem -> problem.kind() == ScanProblem.Kind.TRUNCATED)) {
            return fresh;
        }
        Set<String> unfinished = new HashSet<>();
        for (ScanProblem problem : scan.problems()) {
            if (problem.file() != null && problem.kind() != ScanProblem.Kind.PARTIAL_PARSE) {
                unfinished.add(relativePath(project, problem.file()));
            }
        }
        List<String> gone = h.createQuery("""
                        SELECT fingerprint, path FROM project_code_findings
                        WHERE project = :project AND last_seen < :now AND resolved_at IS NULL""")
                .bind("project", project.name()).bind("now", now)
                .map((rs, ctx) -> unfinished.contains(rs.getString("path")) ? null : rs.getString("fingerprint"))
                .list().stream().filter(Objects::nonNull).toList();
        for (String fingerprint : gone) {
            h.createUpdate("UPDATE project_code_findings SET resolved_at = :now WHERE project = :project AND fingerprint = :fingerprint")
                    .bind("now", now).bind("project", project.name()).bind("fingerprint", fingerprint).execute();
        }
        return fresh;
    }

    private static String relativePath(Project project, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return (absolute.startsWith(project.path()) ? project.path().relativize(absolute) : file).toString();
    }

    private List<ProjectFinding> record(Handle h, Project project, String releaseId, Stack stack,
                                        List<DependencyFinding> found, long now) throws IOException {
        List<ProjectFinding> fresh = new ArrayList<>();
        for (DependencyFinding finding : found) {
            Dependency dependency = finding.dependency();
            String advisoryId = finding.advisoryIds().get(0);
            String lockfile = relativePath(project, dependency.lockfile());
            int updated = h.createUpdate("""
                            UPDATE project_findings SET last_seen = :now, resolved_at = NULL, reachability = :reach
                            WHERE project = :project AND advisory_id = :advisory AND package = :package
                              AND version = :version AND lockfile = :lockfile""")
                    .bind("now", now).bind("reach", finding.reachability().name()).bind("project", project.name())
                    .bind("advisory", advisoryId).bind("package", dependency.name()).bind("version", dependency.version())
                    .bind("lockfile", lockfile).execute();
            if (updated == 0) {
                h.createUpdate("""
                                INSERT INTO project_findings (project, advisory_id, package, version, lockfile, ecosystem,
                                                              reachability, release_id, first_seen, last_seen)
                                VALUES (:project, :advisory, :package, :version, :lockfile, :ecosystem, :reach, :release, :now, :now)""")
                        .bind("project", project.name()).bind("advisory", advisoryId).bind("package", dependency.name())
                        .bind("version", dependency.version()).bind("lockfile", lockfile)
                        .bind("ecosystem", dependency.ecosystem().osvName()).bind("reach", finding.reachability().name())
                        .bind("release", releaseId).bind("now", now).execute();
                fresh.add(new ProjectFinding.Dependency(project.name(), advisoryId, dependency.name(), dependency.version(), lockfile,
                        dependency.ecosystem().osvName(), finding.reachability().name(), releaseId,
                        Instant.ofEpochMilli(now), Instant.ofEpochMilli(now), null));
                LOG.info("project {}: new finding {} in {}@{} ({}, release {})", project.name(), advisoryId,
                        dependency.name(), dependency.version(), lockfile, releaseId);
                if (isCritical(finding)) {
                    EventLog.append(h, Instant.ofEpochMilli(now), EventType.PROJECT_CRITICAL_FINDING, releaseId, null,
                            criticalFinding(project, advisoryId, finding, lockfile));
                }
            }
        }
        h.createUpdate("UPDATE project_findings SET resolved_at = :now WHERE project = :project AND last_seen < :now AND resolved_at IS NULL")
                .bind("now", now).bind("project", project.name()).execute();
        h.createUpdate("UPDATE projects SET last_scan_at = :now, stack = :stack WHERE name = :name")
                .bind("now", now).bind("name", project.name())
                .bind("stack", JSON.writeValueAsString(Map.of("languages", stack.languages().stream().map(Enum::name).sorted().toList(),
                        "ecosystems", stack.ecosystems().stream().map(e -> e.osvName()).sorted().toList(),
                        "frameworks", stack.frameworks().stream().sorted().toList())))
                .execute();
        return fresh;
    }

    /** A CVSS score of 9.0 or more (the CVSS "critical" band), or a vulnerability known to be exploited. */
    static boolean isCritical(DependencyFinding finding) {
        return finding.kev() != null || finding.score() != null && finding.score().score() >= CRITICAL_SCORE;
    }

    private static final double CRITICAL_SCORE = 9.0;

    private static Map<String, Object> criticalFinding(Project project, String advisoryId, DependencyFinding finding, String lockfile) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("project", project.name());
        payload.put("advisory", advisoryId);
        payload.put("package", finding.dependency().name());
        payload.put("version", finding.dependency().version());
        payload.put("lockfile", lockfile);
        payload.put("known_exploited", finding.kev() != null);
        if (finding.score() != null) {
            payload.put("cvss", finding.score().score());
        }
        if (!finding.fixedVersions().isEmpty()) {
            payload.put("fixed_in", finding.fixedVersions().get(0));
        }
        return payload;
    }

    /** Files near the top of the project, where manifests declare its stack; dependency folders left out. */
    private static List<Path> manifests(Path root) throws IOException {
        try (var walk = Files.find(root, 4, (path, attrs) -> attrs.isRegularFile())) {
            return walk.filter(path -> StreamSupport.stream(root.relativize(path).spliterator(), false)
                    .noneMatch(part -> Lockfiles.SKIPPED_DIRECTORIES.contains(part.toString()))).toList();
        }
    }
}

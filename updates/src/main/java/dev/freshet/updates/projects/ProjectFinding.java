package dev.freshet.updates.projects;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Something found in a watched project, with its history: a vulnerable dependency, or a code rule's
 * match. In JSON, {@code kind} tells them apart ({@code dependency} or {@code code}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = ProjectFinding.Dependency.class, name = "dependency"),
        @JsonSubTypes.Type(value = ProjectFinding.Code.class, name = "code")})
public sealed interface ProjectFinding {
    String project();

    /** The release whose rules first found it. */
    String releaseId();

    Instant firstSeen();

    Instant lastSeen();

    /** When a later scan no longer found it, else null. */
    Instant resolvedAt();

    /** The same finding under another project name (a tenant's own name for the project). */
    ProjectFinding inProject(String name);

    /**
     * A vulnerable dependency.
     *
     * @param resolvedAt when a later scan no longer found it (upgraded, or the advisory withdrawn), else null
     */
    record Dependency(String project, String advisoryId, String packageName, String version, String lockfile,
                      String ecosystem, String reachability, String releaseId, Instant firstSeen,
                      Instant lastSeen, Instant resolvedAt) implements ProjectFinding {
        @Override
        public Dependency inProject(String name) {
            return new Dependency(name, advisoryId, packageName, version, lockfile, ecosystem, reachability, releaseId, firstSeen,
                    lastSeen, resolvedAt);
        }
    }

    /**
     * A code rule's match, known by its fingerprint (rule, path, normalized code), so that it keeps its
     * history when lines move; {@code line} is where the latest scan saw it.
     *
     * @param path the file, relative to the project's directory
     */
    record Code(String project, String ruleId, String severity, String path, int line, String message, String fingerprint,
                String releaseId, Instant firstSeen, Instant lastSeen, Instant resolvedAt) implements ProjectFinding {
        @Override
        public Code inProject(String name) {
            return new Code(name, ruleId, severity, path, line, message, fingerprint, releaseId, firstSeen, lastSeen, resolvedAt);
        }
    }
}

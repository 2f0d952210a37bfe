package dev.freshet.engine.deps;

import dev.freshet.engine.deps.lockfile.Dependency;
import java.util.List;

/**
 * A dependency whose pinned version an advisory covers.
 *
 * @param advisoryIds   every id the vulnerability is known by, its own first, aliases after
 * @param fixedVersions versions that fix it for this package, lowest first (may be empty)
 * @param severity      the advisory's first severity vector (CVSS), or null
 */
public record DependencyFinding(Dependency dependency, List<String> advisoryIds, String summary,
                                List<String> fixedVersions, String severity) {
    public DependencyFinding {
        advisoryIds = List.copyOf(advisoryIds);
        fixedVersions = List.copyOf(fixedVersions);
    }
}

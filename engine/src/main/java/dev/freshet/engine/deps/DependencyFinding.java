package dev.freshet.engine.deps;

import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.scan.Finding;
import java.util.List;

/**
 * A dependency whose pinned version an advisory covers.
 *
 * @param advisoryIds   every id the vulnerability is known by, its own first, aliases after
 * @param fixedVersions versions that fix it for this package, lowest first (may be empty)
 * @param score         the advisory's CVSS score, or null when it has no vector that can be scored
 * @param kev           the CISA KEV entry when the vulnerability is known to be exploited, else null
 * @param reachability  whether the project calls the vulnerable code, as far as the advisory says which code that is
 * @param calls         the calls that make it reachable
 */
public record DependencyFinding(Dependency dependency, List<String> advisoryIds, String summary,
                                List<String> fixedVersions, Advisory.Score score, Advisory.Kev kev,
                                Reachability reachability, List<Finding> calls) {

    /** Whether the vulnerable code is used: known only when the advisory names the vulnerable symbols. */
    public enum Reachability {
        REACHABLE, NO_CALL_FOUND, UNKNOWN
    }

    public DependencyFinding {
        advisoryIds = List.copyOf(advisoryIds);
        fixedVersions = List.copyOf(fixedVersions);
        calls = List.copyOf(calls);
    }

    public DependencyFinding withReachability(Reachability found, List<Finding> evidence) {
        return new DependencyFinding(dependency, advisoryIds, summary, fixedVersions, score, kev, found, evidence);
    }
}

package dev.freshet.engine.deps;

import dev.freshet.engine.deps.lockfile.Dependency;
import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.version.Ecosystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Advisories indexed by package, so matching a project's dependencies costs a lookup per
 * dependency. Withdrawn advisories are not indexed.
 */
public final class AdvisoryIndex {
    private record Key(Ecosystem ecosystem, String name) {
    }

    private record Entry(Advisory record, AffectedPackage affected) {
    }

    private final Map<Key, List<Entry>> byPackage = new HashMap<>();

    public AdvisoryIndex(List<Advisory> records) {
        for (Advisory record : records) {
            if (record.isWithdrawn()) {
                continue;
            }
            for (AffectedPackage affected : record.affected()) {
                byPackage.computeIfAbsent(new Key(affected.ecosystem(), normalize(affected.ecosystem(), affected.name())),
                        k -> new ArrayList<>()).add(new Entry(record, affected));
            }
        }
    }

    public int packages() {
        return byPackage.size();
    }

    public List<DependencyFinding> match(List<Dependency> dependencies) {
        List<DependencyFinding> findings = new ArrayList<>();
        for (Dependency dependency : dependencies) {
            for (Entry entry : byPackage.getOrDefault(new Key(dependency.ecosystem(),
                    normalize(dependency.ecosystem(), dependency.name())), List.of())) {
                if (entry.affected().affects(dependency.version())) {
                    Advisory advisory = entry.record();
                    findings.add(new DependencyFinding(dependency, advisory.ids(), advisory.summary(),
                            fixedVersions(entry.affected()), advisory.score().orElse(null),
                            advisory.kev(), DependencyFinding.Reachability.UNKNOWN, List.of()));
                }
            }
        }
        return findings;
    }

    /** The advisories that cover at least one of the dependencies, each once, in index order. */
    public List<Advisory> affecting(List<Dependency> dependencies) {
        Set<Advisory> found = new LinkedHashSet<>();
        for (Dependency dependency : dependencies) {
            for (Entry entry : byPackage.getOrDefault(new Key(dependency.ecosystem(),
                    normalize(dependency.ecosystem(), dependency.name())), List.of())) {
                if (entry.affected().affects(dependency.version())) {
                    found.add(entry.record());
                }
            }
        }
        return List.copyOf(found);
    }

    private static List<String> fixedVersions(AffectedPackage affected) {
        return affected.ranges().stream().flatMap(r -> r.events().stream())
                .filter(e -> e instanceof AffectedRange.Event.Fixed).map(AffectedRange.Event::version)
                .filter(affected.ecosystem()::isValid).distinct().sorted(affected.ecosystem().comparator()).toList();
    }

    /** Package names as each ecosystem compares them: PyPI per PEP 503, the others exactly. */
    static String normalize(Ecosystem ecosystem, String name) {
        return ecosystem == Ecosystem.PYPI ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
    }
}

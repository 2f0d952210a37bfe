package dev.freshet.updates.sources;

import dev.freshet.engine.deps.version.Ecosystem;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The advisories the feeds have synced, as dependency rules, so they are released, diffed and
 * rolled back like any rule.
 *
 * @param ecosystems the ecosystems whose advisories are relevant; empty means those of the watched
 *                   projects' stacks (every ecosystem while no project is watched)
 */
public record AdvisorySource(String name, Set<Ecosystem> ecosystems, SourceSettings settings) implements RuleSource {
    public AdvisorySource {
        RuleSource.checkName(name);
        ecosystems = ecosystems.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(ecosystems));
        Objects.requireNonNull(settings, "settings");
    }

    @Override
    public AdvisorySource withSettings(SourceSettings newSettings) {
        return new AdvisorySource(name, ecosystems, newSettings);
    }
}

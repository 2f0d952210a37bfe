package dev.freshet.updates.sources;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.feeds.AdvisoryStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the advisory store into a source snapshot: one dependency rule file per relevant advisory
 * ({@code <ecosystem>/<id>.yaml}). Withdrawn advisories are left out, so the next release drops
 * their rules. The revision is a hash of all the files, so an unchanged store is no update.
 */
final class AdvisoryRuleFetcher implements RuleSourceFetcher {
    private final AdvisorySource source;
    private final AdvisoryStore store;
    private final Supplier<Set<Ecosystem>> watchedEcosystems;

    /** @param watchedEcosystems the ecosystems of the watched projects (empty when none is watched) */
    AdvisoryRuleFetcher(AdvisorySource source, AdvisoryStore store, Supplier<Set<Ecosystem>> watchedEcosystems) {
        this.source = source;
        this.store = store;
        this.watchedEcosystems = watchedEcosystems;
    }

    @Override
    public FetchResult fetch(Optional<String> knownRevision) {
        Set<Ecosystem> relevant = source.ecosystems().isEmpty() ? watchedEcosystems.get() : source.ecosystems();
        List<SourceFile> files = new ArrayList<>();
        for (Advisory advisory : store.loadAll()) {
            if (advisory.isWithdrawn()) {
                continue;
            }
            Optional<Ecosystem> ecosystem = advisory.affected().stream().map(a -> a.ecosystem())
                    .filter(e -> relevant.isEmpty() || relevant.contains(e)).findFirst();
            String yaml = ecosystem.isEmpty() ? null : DependencyRules.document(advisory);
            if (yaml != null) {
                files.add(new SourceFile(ecosystem.get().namespace() + "/" + advisory.id() + ".yaml",
                        yaml.getBytes(StandardCharsets.UTF_8)));
            }
        }
        files.sort(Comparator.comparing(SourceFile::path));
        String revision = RuleFiles.contentRevision(files);
        if (knownRevision.filter(revision::equals).isPresent()) {
            return new FetchResult.Unchanged(revision);
        }
        return new FetchResult.Changed(new SourceSnapshot(source.name(), revision, files));
    }
}

package dev.freshet.updates.sources;

import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.DependencyRules;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.feeds.AdvisoryStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the advisory store into a source snapshot: one dependency rule file per relevant advisory
 * ({@code <ecosystem>/<id>.yaml}). Withdrawn advisories are left out, so the next release drops
 * their rules. The revision hashes the store's {@link AdvisoryStore#stamp() stamp}, the relevant
 * ecosystems and the rule format, so an unchanged store is answered without loading a record;
 * a changed stamp whose rules come out the same makes the same release, which is no update.
 */
final class AdvisoryRuleFetcher implements RuleSourceFetcher {
    /** Bump when {@link DependencyRules} writes rules differently, so stores already turned into rules are redone. */
    private static final String RULE_FORMAT = "2";

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
        String revision = revision(relevant);
        if (knownRevision.filter(revision::equals).isPresent()) {
            return new FetchResult.Unchanged(revision);
        }
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
        return new FetchResult.Changed(new SourceSnapshot(source.name(), revision, files));
    }

    private String revision(Set<Ecosystem> relevant) {
        String ecosystems = relevant.stream().map(Ecosystem::namespace).sorted().toList().toString();
        String key = "advisory-rules/" + RULE_FORMAT + "/" + ecosystems + "/" + store.stamp();
        return HexFormat.of().formatHex(RuleFiles.sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}

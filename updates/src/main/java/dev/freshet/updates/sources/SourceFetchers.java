package dev.freshet.updates.sources;

import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.updates.feeds.AdvisoryStore;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Makes the fetcher for a source definition. Git clones are cached under {@code gitCacheDir}, one
 * bare repository per source name. Signed repositories are fetched by the TUF client the app
 * passes in.
 */
public final class SourceFetchers {
    private final Path gitCacheDir;
    private final Function<SignedRepositorySource, RuleSourceFetcher> signedRepositories;
    private final AdvisoryStore advisories;
    private final Supplier<Set<Ecosystem>> watchedEcosystems;
    private final ConcurrentMap<Path, Lock> cacheLocks = new ConcurrentHashMap<>();

    /**
     * @param advisories        the synced advisories that advisory sources turn into rules
     * @param watchedEcosystems the ecosystems of the watched projects, which decide what is relevant
     */
    public SourceFetchers(Path gitCacheDir, Function<SignedRepositorySource, RuleSourceFetcher> signedRepositories,
                          AdvisoryStore advisories, Supplier<Set<Ecosystem>> watchedEcosystems) {
        this.gitCacheDir = gitCacheDir;
        this.signedRepositories = signedRepositories;
        this.advisories = advisories;
        this.watchedEcosystems = watchedEcosystems;
    }

    /** Without advisory sources. */
    public SourceFetchers(Path gitCacheDir, Function<SignedRepositorySource, RuleSourceFetcher> signedRepositories) {
        this(gitCacheDir, signedRepositories, null, Set::of);
    }

    /** Without a TUF client: signed repositories cannot be fetched yet. */
    public SourceFetchers(Path gitCacheDir) {
        this(gitCacheDir, source -> knownRevision -> {
            throw new UnsupportedOperationException("wired in app");
        });
    }

    public RuleSourceFetcher fetcherFor(RuleSource source) {
        return switch (source) {
            case LocalDirectorySource local -> new LocalDirectoryFetcher(local, FileSelection.RULES);
            case GitSource git -> {
                Path cache = gitCacheDir.resolve(git.name() + ".git").toAbsolutePath().normalize();
                yield new GitFetcher(git, cache, cacheLocks.computeIfAbsent(cache, c -> new ReentrantLock()));
            }
            case SignedRepositorySource signed -> signedRepositories.apply(signed);
            case AdvisorySource advisory -> {
                if (advisories == null) {
                    throw new IllegalStateException("no advisory store wired for source " + advisory.name());
                }
                yield new AdvisoryRuleFetcher(advisory, advisories, watchedEcosystems);
            }
        };
    }

    /**
     * The fetcher of a source of other knowledge than rules: a directory gives the files of
     * {@code selection}; a signed repository gives its verified targets that {@code selection}
     * takes (every target is verified against the signed metadata either way).
     *
     * @throws IllegalArgumentException for a git or advisory source, which hold rules only
     */
    public RuleSourceFetcher fetcherFor(RuleSource source, FileSelection selection) {
        return switch (source) {
            case LocalDirectorySource local -> new LocalDirectoryFetcher(local, selection);
            case SignedRepositorySource signed -> {
                RuleSourceFetcher verified = signedRepositories.apply(signed);
                yield knownRevision -> switch (verified.fetch(knownRevision)) {
                    case FetchResult.Changed changed -> new FetchResult.Changed(new SourceSnapshot(changed.snapshot().source(),
                            changed.revision(), selection.of(changed.snapshot().files())));
                    case FetchResult.Unchanged unchanged -> unchanged;
                };
            }
            case GitSource git -> throw new IllegalArgumentException("source '" + git.name() + "': a git repository can only hold rules; "
                    + selection.kind() + "s come from a directory or a signed repository");
            case AdvisorySource advisory -> throw new IllegalArgumentException("source '" + advisory.name()
                    + "': an advisory source makes rules only");
        };
    }
}

package dev.freshet.updates.sources;

import java.nio.file.Path;
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
    private final ConcurrentMap<Path, Lock> cacheLocks = new ConcurrentHashMap<>();

    public SourceFetchers(Path gitCacheDir, Function<SignedRepositorySource, RuleSourceFetcher> signedRepositories) {
        this.gitCacheDir = gitCacheDir;
        this.signedRepositories = signedRepositories;
    }

    /** Without a TUF client: signed repositories cannot be fetched yet. */
    public SourceFetchers(Path gitCacheDir) {
        this(gitCacheDir, source -> knownRevision -> {
            throw new UnsupportedOperationException("wired in app");
        });
    }

    public RuleSourceFetcher fetcherFor(RuleSource source) {
        return switch (source) {
            case LocalDirectorySource local -> new LocalDirectoryFetcher(local);
            case GitSource git -> {
                Path cache = gitCacheDir.resolve(git.name() + ".git").toAbsolutePath().normalize();
                yield new GitFetcher(git, cache, cacheLocks.computeIfAbsent(cache, c -> new ReentrantLock()));
            }
            case SignedRepositorySource signed -> signedRepositories.apply(signed);
        };
    }
}

package dev.freshet.updates.sources;

import dev.freshet.updates.tuf.TufClient;
import dev.freshet.updates.tuf.TufException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches a signed repository with the TUF client. Each source keeps its own trusted metadata
 * directory, so versions never go down across checks and restarts; the operator's root file is
 * installed only the first time (installing it again would reset rollback protection).
 */
public final class SignedRepositoryFetcher implements RuleSourceFetcher {
    private final SignedRepositorySource source;
    private final Path trustedDir;

    public SignedRepositoryFetcher(SignedRepositorySource source, Path trustedDir) {
        this.source = source;
        this.trustedDir = trustedDir;
    }

    @Override
    public synchronized FetchResult fetch(Optional<String> knownRevision) throws SourceException {
        try {
            TufClient.trustIfNew(trustedDir, source.trustedRootFile());
            try (TufClient client = new TufClient(trustedDir, source.baseUrl().toURI())) {
                TufClient.Result result = client.update();
                String revision = "targets-v" + result.targetsVersion();
                if (knownRevision.filter(revision::equals).isPresent()) {
                    return new FetchResult.Unchanged(revision);
                }
                return new FetchResult.Changed(new SourceSnapshot(source.name(), revision, result.files()));
            }
        } catch (TufException e) {
            throw new SourceException(source.name(), SourceUrls.scrub(String.valueOf(e.getMessage()), source.baseUrl().toString()), e);
        } catch (URISyntaxException e) {
            throw new SourceException(source.name(), "bad repository URL " + SourceUrls.redact(source.baseUrl().toString()), e);
        }
    }
}

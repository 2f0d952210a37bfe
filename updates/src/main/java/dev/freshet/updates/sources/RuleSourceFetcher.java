package dev.freshet.updates.sources;

import java.util.Optional;

/** Checks one source for new rules. Implementations are safe to call from several threads. */
@FunctionalInterface
public interface RuleSourceFetcher {
    /**
     * @param knownRevision the revision last accepted from this source, if any; the source answers
     *                      {@link FetchResult.Unchanged} when it is still there
     * @throws SourceException when the source cannot be read or refuses the update; nothing changes then
     */
    FetchResult fetch(Optional<String> knownRevision) throws SourceException;
}

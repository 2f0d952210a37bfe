package dev.freshet.updates.sources;

/** What a check of a source found: nothing new, or a new snapshot to validate. */
public sealed interface FetchResult {
    String revision();

    /** The source is still at the revision the caller already knows. */
    record Unchanged(String revision) implements FetchResult {
    }

    record Changed(SourceSnapshot snapshot) implements FetchResult {
        @Override
        public String revision() {
            return snapshot.revision();
        }
    }
}

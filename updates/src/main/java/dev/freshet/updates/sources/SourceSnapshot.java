package dev.freshet.updates.sources;

import java.util.List;

/**
 * Everything one source holds at one revision (a git commit, a signed repository's targets
 * version, a directory's content hash).
 */
public record SourceSnapshot(String source, String revision, List<SourceFile> files) {
}

package dev.freshet.updates.sources;

/** One file (a rule file or a rule's test file) as a source delivered it, with its path inside the source. */
public record SourceFile(String path, byte[] content) {
}

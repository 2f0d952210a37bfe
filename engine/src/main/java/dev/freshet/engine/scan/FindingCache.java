package dev.freshet.engine.scan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.freshet.engine.parse.Language;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * What a rule found in a file's content, keyed by the content's SHA-256 and the rule definition's
 * SHA-256, so that a rescan after an activation runs only the added or changed rules on the files
 * that did not change, and every rule on the files that did. A removed rule's entries are never
 * asked for again and age out. Bounded by an estimate of the memory the findings hold.
 */
public final class FindingCache {
    /** Roughly what a finding costs besides its code: record, strings, path, metadata reference. */
    private static final int FINDING_OVERHEAD_BYTES = 256;

    private record Key(String fileHash, String ruleHash) {
    }

    private record ParseKey(String fileHash, Language language) {
    }

    private final Cache<Key, List<Finding>> findings;
    private final Cache<ParseKey, Integer> parseErrors;

    public FindingCache(long maximumBytes) {
        findings = Caffeine.newBuilder().maximumWeight(maximumBytes)
                .weigher((Key key, List<Finding> found) -> 2 * FINDING_OVERHEAD_BYTES + found.stream()
                        .mapToInt(f -> FINDING_OVERHEAD_BYTES + 2 * f.code().length()).sum())
                .build();
        parseErrors = Caffeine.newBuilder().maximumSize(Math.max(1, maximumBytes / FINDING_OVERHEAD_BYTES)).build();
    }

    /** The rule's findings in this content, with paths set to {@code file}, or null when not known. */
    List<Finding> findings(String fileHash, String ruleHash, Path file) {
        List<Finding> found = findings.getIfPresent(new Key(fileHash, ruleHash));
        return found == null ? null : found.stream().map(f -> f.file().equals(file) ? f : f.withFile(file)).toList();
    }

    void put(String fileHash, String ruleHash, List<Finding> found) {
        findings.put(new Key(fileHash, ruleHash), List.copyOf(found));
    }

    /** How many parts of this content could not be parsed in this language, if it was parsed before. */
    OptionalInt parseErrors(String fileHash, Language language) {
        Integer errors = parseErrors.getIfPresent(new ParseKey(fileHash, language));
        return errors == null ? OptionalInt.empty() : OptionalInt.of(errors);
    }

    void putParseErrors(String fileHash, Language language, int errors) {
        parseErrors.put(new ParseKey(fileHash, language), errors);
    }
}

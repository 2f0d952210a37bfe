package dev.freshet.updates.sources;

import dev.freshet.engine.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which files of a source count: rule files ({@code X.yaml}, {@code X.yml}) and their test files
 * ({@code X.<ext>} beside them, the engine's test convention), outside hidden folders; and the
 * limits that keep a hostile or mistaken source from exhausting memory.
 */
final class RuleFiles {
    /** A larger file makes the source fail: no rule or rule test needs more, and leaving it out would hide it. */
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    /** A source delivering more than this in total is refused. */
    static final long MAX_TOTAL_BYTES = 128L * 1024 * 1024;

    private RuleFiles() {
    }

    /** The rule files {@code include} accepts and the test files beside them, sorted; paths use '/'. */
    static List<String> select(Collection<String> paths, Predicate<String> include) {
        Set<String> rules = paths.stream().filter(p -> !hidden(p) && isRuleFile(p) && include.test(p))
                .collect(Collectors.toSet());
        Set<String> ruleBases = rules.stream().map(p -> p.substring(0, p.lastIndexOf('.'))).collect(Collectors.toSet());
        return paths.stream()
                .filter(p -> rules.contains(p) || !hidden(p) && !isRuleFile(p) && ruleBases.contains(testBase(p)))
                .sorted(Comparator.naturalOrder()).toList();
    }

    /**
     * Counts one more file of {@code size} bytes against the limits of {@code selection}; returns the new total.
     *
     * @throws SourceException naming the file when it, or the source in total, is over its limit
     */
    static long admit(String source, FileSelection selection, String path, long size, long totalSoFar, String remedy) throws SourceException {
        if (size > selection.maxFileBytes()) {
            throw new SourceException(source, path + " has " + size + " bytes, over the limit of " + selection.maxFileBytes()
                    + " bytes for one " + selection.kind() + "; split it or leave it out of the source");
        }
        long total = totalSoFar + size;
        if (total > selection.maxTotalBytes()) {
            throw new SourceException(source, "holds more than " + selection.maxTotalBytes() / (1024 * 1024) + " MiB of "
                    + selection.kind() + "s; " + remedy);
        }
        return total;
    }

    static boolean isRuleFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        // X.fixed.yaml holds autofix expectations and X.test.yaml is a test target, as in the engine's test runner.
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.contains(".fixed.") && !name.contains(".test.");
    }

    /** {@code dir/X} for {@code dir/X.<ext>} with a one-part extension, else null. */
    private static String testBase(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 && dot < path.length() - 1 ? path.substring(0, dot) : null;
    }

    static boolean hidden(String path) {
        return path.startsWith(".") || path.contains("/.");
    }

    /** A content revision: SHA-256 over the sorted (path, content hash) pairs. */
    static String contentRevision(List<SourceFile> files) {
        MessageDigest digest = sha256();
        files.stream().sorted(Comparator.comparing(SourceFile::path)).forEach(file -> {
            digest.update(file.path().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(sha256().digest(file.content()));
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        return Sha256.digest();
    }
}

package dev.freshet.engine.scan;

import java.nio.file.Path;

/**
 * Something that kept a file from being scanned completely; the scan goes on without it.
 *
 * @param ruleId the rule that failed, for a {@link Kind#RULE_ERROR} of one rule; null otherwise
 */
public record ScanProblem(Path file, Kind kind, String message, String ruleId) {
    public ScanProblem(Path file, Kind kind, String message) {
        this(file, kind, message, null);
    }

    public enum Kind {
        /** The parser had to skip parts of the file; matches there may be missed. */
        PARTIAL_PARSE,
        /** The file took longer than the per-file time limit; its findings are dropped. */
        TIMEOUT,
        /** The file could not be read (permissions, encoding, size). */
        UNREADABLE,
        /** A rule failed on this file; the other rules still ran. */
        RULE_ERROR,
        /** The scan reached its limit of findings and stopped (no file: it concerns the whole scan). */
        TRUNCATED
    }
}

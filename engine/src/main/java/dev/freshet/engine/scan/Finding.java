package dev.freshet.engine.scan;

import dev.freshet.engine.fix.Edit;
import dev.freshet.engine.rules.Severity;
import java.nio.file.Path;
import java.util.Map;

/**
 * One match of one rule in one file. Lines and columns are 1-based; the end column is exclusive.
 *
 * @param metadata the rule's metadata block (CWE, OWASP, confidence, references...), as parsed YAML
 * @param fix      the rule's fix for this match, or null when the rule has none
 */
public record Finding(
        String ruleId,
        Severity severity,
        String message,
        Path file,
        int startLine,
        int startColumn,
        int endLine,
        int endColumn,
        String code,
        Map<String, Object> metadata,
        Fix fix) {

    /** A finding without a fix. */
    public Finding(String ruleId, Severity severity, String message, Path file, int startLine, int startColumn, int endLine,
                   int endColumn, String code, Map<String, Object> metadata) {
        this(ruleId, severity, message, file, startLine, startColumn, endLine, endColumn, code, metadata, null);
    }

    /** The same finding in another file of the same content (a rescan, a cached result). */
    public Finding withFile(Path other) {
        return new Finding(ruleId, severity, message, other, startLine, startColumn, endLine, endColumn, code, metadata, fix);
    }

    /**
     * @param edit       the replacement of the matched range
     * @param fixedLines the lines the match touches as they read once fixed (Semgrep's {@code fixed_lines})
     * @param pastEnd    how many characters the edit reaches past the finding's end on its last line (a statement's ';')
     */
    public record Fix(Edit edit, String fixedLines, int pastEnd) {
    }
}

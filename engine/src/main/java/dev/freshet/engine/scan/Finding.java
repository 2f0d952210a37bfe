package dev.freshet.engine.scan;

import dev.freshet.engine.rules.Severity;
import java.nio.file.Path;
import java.util.Map;

/**
 * One match of one rule in one file. Lines and columns are 1-based; the end column is exclusive.
 *
 * @param metadata the rule's metadata block (CWE, OWASP, confidence, references...), as parsed YAML
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
        Map<String, Object> metadata) {
}

package dev.freshet.engine.report;

import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.Severity;
import java.util.Map;
import java.util.Objects;

/**
 * What a report needs to know about a rule that may or may not have matched (SARIF lists every rule that ran).
 *
 * @param metadata the rule's metadata block (cwe, owasp, confidence, references, category...), as parsed YAML
 */
public record RuleInfo(String id, String message, Severity severity, Map<String, Object> metadata) {
    public RuleInfo {
        Objects.requireNonNull(id, "id");
        message = message == null ? "" : message;
        severity = severity == null ? Severity.INFO : severity;
        metadata = metadata == null ? Map.of() : metadata;
    }

    public static RuleInfo of(Rule rule) {
        return new RuleInfo(rule.id(), rule.message(), rule.severity(), rule.metadata());
    }
}

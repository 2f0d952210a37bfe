package dev.freshet.engine.rules;

import java.util.Locale;
import java.util.Optional;

/** Rule severities as Semgrep names them, including the newer CVSS-like names. */
public enum Severity {
    CRITICAL, HIGH, ERROR, MEDIUM, WARNING, LOW, INFO, INVENTORY, EXPERIMENT;

    public static Optional<Severity> parse(String text) {
        try {
            return Optional.of(valueOf(text.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The SARIF result level: error, warning or note. */
    public String sarifLevel() {
        return switch (this) {
            case CRITICAL, HIGH, ERROR -> "error";
            case MEDIUM, WARNING -> "warning";
            default -> "note";
        };
    }
}

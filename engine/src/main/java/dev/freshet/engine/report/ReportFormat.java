package dev.freshet.engine.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report formats, by the names users type ({@code --format sarif}). */
public enum ReportFormat {
    TEXT, JSON, SARIF;

    /** The name users type: text, json or sarif. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid formats when {@code name} is none of them */
    public static ReportFormat parse(String name) {
        for (ReportFormat format : values()) {
            if (name != null && format.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("Unknown report format '" + name + "'; valid formats: "
                + Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining(", ")));
    }

    /** @param toolVersion Freshet's version, recorded in the json and sarif documents */
    public ReportWriter writer(String toolVersion) {
        return switch (this) {
            case TEXT -> new TextReport();
            case JSON -> new JsonReport(toolVersion);
            case SARIF -> new SarifReport(toolVersion);
        };
    }
}

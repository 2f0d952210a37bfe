package dev.freshet.engine.models;

import java.util.Locale;

/** The traffic files Freshet reads: raw HTTP requests (CSIC 2010's format), access logs, JSON lines. */
public enum TrafficFormat {
    /** Raw HTTP/1.x requests one after the other, each ending with a blank line (the CSIC 2010 files). */
    CSIC,
    /** nginx/Apache access logs in the common or the combined log format. */
    COMBINED,
    /** One JSON object per line: {@code method}, {@code url}, {@code headers}, {@code body}, {@code status}, {@code client}, or {@code request} with raw HTTP. */
    JSONL;

    public static TrafficFormat parse(String name) {
        for (TrafficFormat format : values()) {
            if (format.name().equalsIgnoreCase(name) || (format == COMBINED && name.equalsIgnoreCase("common"))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown traffic format '" + name + "' (use csic, combined, common or jsonl)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package dev.freshet.engine.parse;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How Semgrep types a plain (unquoted) YAML scalar ({@code Yaml_to_generic.scalar}): YAML 1.1's
 * booleans ({@code yes}, {@code Off}...), nulls ({@code ~}), numbers, else a string.
 */
public final class DataScalars {
    private static final Set<String> TRUE = Set.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
    private static final Set<String> FALSE = Set.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
    /** Not the empty scalar ({@code key:}): Semgrep reads it as the empty string. */
    private static final Set<String> NULLS = Set.of("null", "NULL", "Null", "~");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern HEXADECIMAL = Pattern.compile("[-+]?0[xX][0-9a-fA-F]{1,15}");

    private DataScalars() {
    }

    /** {@code boolean}, {@code null}, {@code number} or {@code plain_scalar} (a string). */
    public static String kindOf(String value) {
        if (TRUE.contains(value) || FALSE.contains(value)) {
            return "boolean";
        }
        if (NULLS.contains(value)) {
            return "null";
        }
        return number(value) != null ? "number" : "plain_scalar";
    }

    public static boolean isTrue(String value) {
        return TRUE.contains(value);
    }

    /** The value of a scalar written as a number, or null. */
    public static Double number(String value) {
        String text = value.replace("_", "");
        if (HEXADECIMAL.matcher(text).matches()) {
            long magnitude = Long.parseLong(text.replaceFirst("^[-+]?0[xX]", ""), 16);
            return (double) (text.startsWith("-") ? -magnitude : magnitude);
        }
        return DECIMAL.matcher(text).matches() ? Double.valueOf(text) : null;
    }
}

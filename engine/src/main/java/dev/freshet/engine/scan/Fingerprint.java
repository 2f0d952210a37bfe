package dev.freshet.engine.scan;

import dev.freshet.engine.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A finding's stable identity: a hash of the rule id, the path and the matched code with whitespace
 * runs collapsed. It survives lines moving and re-indentation, so feedback given on one scan still
 * names the same finding in the next; it changes when the matched code itself changes. Reports
 * (JSON {@code fingerprint}, SARIF {@code partialFingerprints}) and stored feedback use this one.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /** 32 hex digits (128 bits of SHA-256). */
    public static String of(String ruleId, String path, String code) {
        byte[] digest = Sha256.digest().digest((ruleId + '\0' + path + '\0' + normalizedCode(code)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /**
     * The matched code as the fingerprint reads it: stripped, every run of whitespace (a regular
     * expression's {@code \\s}: space, tab, newline, vertical tab, form feed, carriage return) one space.
     * A loop rather than a regular expression: a report runs it for each finding as the scan ends.
     */
    public static String normalizedCode(String code) {
        if (code == null) {
            return "";
        }
        String stripped = code.strip();
        StringBuilder normalized = new StringBuilder(stripped.length());
        boolean inRun = false;
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            if (!space) {
                normalized.append(c);
            } else if (!inRun) {
                normalized.append(' ');
            }
            inRun = space;
        }
        return normalized.toString();
    }
}

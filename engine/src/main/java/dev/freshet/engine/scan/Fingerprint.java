package dev.freshet.engine.scan;

import dev.freshet.engine.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A finding's stable identity: a hash of the rule id, the path and the matched code with whitespace
 * runs collapsed. It survives lines moving and re-indentation, so feedback given on one scan still
 * names the same finding in the next; it changes when the matched code itself changes. Reports
 * (JSON {@code fingerprint}, SARIF {@code partialFingerprints}) and stored feedback use this one.
 */
public final class Fingerprint {
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

    private Fingerprint() {
    }

    /** 32 hex digits (128 bits of SHA-256). */
    public static String of(String ruleId, String path, String code) {
        byte[] digest = Sha256.digest().digest((ruleId + '\0' + path + '\0' + normalizedCode(code)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /** The matched code as the fingerprint reads it: stripped, every whitespace run one space. */
    public static String normalizedCode(String code) {
        return code == null ? "" : WHITESPACE_RUN.matcher(code.strip()).replaceAll(" ");
    }
}

package dev.freshet.engine.deps.version;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PyPI version that is not PEP 440 ({@code 0.9-doduo}, {@code 0.7.4.svn.r2010}), ordered by the
 * key setuptools used before PEP 440 (kept as {@code LegacyVersion} in {@code packaging_legacy}):
 * the lower-cased text splits into digit runs, letter runs, {@code -} and other text; numbers are
 * zero-padded to eight places, words starred, {@code pre}/{@code preview}/{@code rc} read as
 * {@code c}, {@code dev} as {@code @} and {@code -} as {@code final-}, and a {@code *final} closes
 * the key. Keys compare part by part as strings. Sorts below every {@link Pep440Version}.
 *
 * @param key the comparison key described above
 */
public record LegacyPythonVersion(String text, List<String> key) implements PythonVersion {

    public LegacyPythonVersion {
        key = List.copyOf(key);
    }

    // Python's \d is any Unicode decimal digit; [a-z] stays ASCII.
    private static final Pattern PART = Pattern.compile("(?U)\\d+|[a-z]+|\\.|-");
    private static final Map<String, String> SPELLINGS = Map.of("pre", "c", "preview", "c", "-", "final-", "rc", "c", "dev", "@");
    private static final String PADDED_ZERO = "00000000";

    /** Any non-blank text without whitespace or control characters (those are typos, not versions). */
    public static Optional<LegacyPythonVersion> parse(String text) {
        if (text == null || text.isEmpty() || text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.empty();
        }
        List<String> key = new ArrayList<>();
        for (String part : parts(text.toLowerCase(Locale.ROOT))) {
            if (part.startsWith("*")) {
                if (part.compareTo("*final") < 0) { // a pre-release word drops the "-" before it: 1.0-a == 1.0a
                    while (!key.isEmpty() && key.getLast().equals("*final-")) key.removeLast();
                }
                while (!key.isEmpty() && key.getLast().equals(PADDED_ZERO)) key.removeLast(); // 1.0.a == 1.a
            }
            key.add(part);
        }
        return Optional.of(new LegacyPythonVersion(text, key));
    }

    /** The pieces of the text, text between the recognised runs included, then "*final". */
    private static List<String> parts(String s) {
        List<String> raw = new ArrayList<>();
        Matcher m = PART.matcher(s);
        int end = 0;
        while (m.find()) {
            raw.add(s.substring(end, m.start()));
            raw.add(m.group());
            end = m.end();
        }
        raw.add(s.substring(end));
        List<String> parts = new ArrayList<>();
        for (String part : raw) {
            part = SPELLINGS.getOrDefault(part, part);
            if (part.isEmpty() || part.equals(".")) continue;
            parts.add(part.charAt(0) >= '0' && part.charAt(0) <= '9' ? zeroPad(part) : "*" + part);
        }
        parts.add("*final"); // so that a, b, c and @ sort before the plain release
        return parts;
    }

    private static String zeroPad(String digits) {
        int codePoints = digits.codePointCount(0, digits.length());
        return codePoints >= 8 ? digits : "0".repeat(8 - codePoints) + digits;
    }

    @Override
    public boolean isPrerelease() {
        return false;
    }

    @Override
    public int compareTo(PythonVersion o) {
        if (!(o instanceof LegacyPythonVersion legacy)) return -1;
        for (int i = 0; i < Math.min(key.size(), legacy.key.size()); i++) {
            int c = comparePythonStrings(key.get(i), legacy.key.get(i));
            if (c != 0) return Integer.signum(c);
        }
        return Integer.compare(key.size(), legacy.key.size());
    }

    /** Python orders strings by code point; Java's compareTo goes by UTF-16 unit, which differs above U+FFFF. */
    private static int comparePythonStrings(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    @Override
    public String toString() {
        return text;
    }
}

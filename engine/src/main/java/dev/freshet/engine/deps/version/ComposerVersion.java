package dev.freshet.engine.deps.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Packagist (Composer) version, ordered like PHP's {@code version_compare} after Composer's
 * light normalization: a leading {@code v} is dropped, {@code - _ +} become dots and dots are put
 * between digits and letters ({@code 1.0.0-RC1} is 1, 0, 0, RC, 1), and the word {@code stable}
 * with the numbers after it is dropped, as Composer's {@code VersionParser::normalize} drops a
 * stable suffix ({@code 1.0-stable} is the release 1.0). Non-numeric parts rank
 * dev &lt; alpha = a &lt; beta = b &lt; RC = rc &lt; number &lt; patch = pl = p, by prefix;
 * other words rank below dev, as in PHP.
 */
public record ComposerVersion(String text, List<String> parts) implements Comparable<ComposerVersion> {

    public ComposerVersion {
        parts = List.copyOf(parts);
    }

    public static final VersionScheme<ComposerVersion> SCHEME = new VersionScheme<>() {
        @Override
        public Optional<ComposerVersion> parse(String text) {
            return ComposerVersion.parse(text);
        }

        @Override
        public String toString() {
            return "Packagist";
        }
    };

    /** Any non-blank text without whitespace or control characters is a version (PHP orders anything). */
    public static Optional<ComposerVersion> parse(String text) {
        if (text == null || text.isBlank() || text.strip().chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            return Optional.empty();
        }
        String s = text.strip().replaceFirst("^[vV](?=\\d)", "")
                .replaceAll("[-_+]", ".")
                .replaceAll("([^\\d.])(\\d)", "$1.$2")
                .replaceAll("(\\d)([^\\d.])", "$1.$2");
        List<String> parts = new ArrayList<>();
        boolean afterStable = false;
        for (String part : s.split("\\.", -1)) {
            // Dropped, not ranked as a number: a word equal to every number would make 1.1 = 1.stable
            // but 1.0.0 > 1.stable, and the order not transitive.
            afterStable = part.equalsIgnoreCase("stable") || afterStable && isNumber(part);
            if (!afterStable) {
                parts.add(part);
            }
        }
        return Optional.of(new ComposerVersion(text, parts));
    }

    public boolean isStable() {
        return parts.stream().noneMatch(p -> !isNumber(p) && weight(p) < weight("#"));
    }

    @Override
    public int compareTo(ComposerVersion o) {
        return compare(parts, o.parts);
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i), y = b.get(i);
            int c = isNumber(x) && isNumber(y) ? new BigInteger(x).compareTo(new BigInteger(y))
                    : Integer.compare(weight(isNumber(x) ? "#" : x), weight(isNumber(y) ? "#" : y));
            if (c != 0) return Integer.signum(c);
        }
        // Longer wins if it goes on with a number (1.0.0 > 1.0); otherwise its next part is weighed
        // against a number's rank, so 1.0-beta < 1.0 < 1.0-patch1.
        if (a.size() > b.size()) return isNumber(a.get(b.size())) ? 1 : compare(a.subList(b.size(), a.size()), List.of("#"));
        if (a.size() < b.size()) return -compare(b, a);
        return 0;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static final List<String> SPECIAL = List.of("dev", "alpha", "a", "beta", "b", "rc", "#", "patch", "pl", "p");
    private static final int[] WEIGHT = {1, 2, 2, 3, 3, 4, 5, 6, 6, 6};

    /** The rank of a non-numeric part; matched by prefix like PHP ({@code "beta2"} is beta), unknown words lowest. */
    private static int weight(String part) {
        String p = part.toLowerCase(Locale.ROOT);
        for (int i = 0; i < SPECIAL.size(); i++) if (p.startsWith(SPECIAL.get(i))) return WEIGHT[i];
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.freshet.engine.deps.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A RubyGems version, ordered like {@code Gem::Version}: segments are runs of digits or of letters
 * ({@code 1.0.a10} is 1, 0, "a", 10); a letter segment sorts below any number, so any letter makes a
 * prerelease; trailing zeros of the release part and of the prerelease part are ignored.
 *
 * @param segments the segments as written, each a {@link BigInteger} or a {@link String}
 */
public record GemVersion(String text, List<Object> segments) implements Comparable<GemVersion> {

    public GemVersion {
        segments = List.copyOf(segments);
    }

    public static final VersionScheme<GemVersion> SCHEME = new VersionScheme<>() {
        @Override
        public Optional<GemVersion> parse(String text) {
            return GemVersion.parse(text);
        }

        @Override
        public String toString() {
            return "RubyGems";
        }
    };

    // Gem::Version::ANCHORED_VERSION_PATTERN, but like osv-scanner also "1beta"; a blank string means "0".
    private static final Pattern VALID = Pattern.compile(
            "[0-9]+[0-9a-zA-Z]*(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
    private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

    public static Optional<GemVersion> parse(String text) {
        if (text == null) return Optional.empty();
        String s = text.strip();
        if (s.isEmpty()) s = "0";
        if (!VALID.matcher(s).matches()) return Optional.empty();
        s = s.replace("-", ".pre."); // Gem::Version: "1.0-1" means the prerelease 1.0.pre.1
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(s);
        while (m.find()) {
            String seg = m.group();
            segments.add(Character.isDigit(seg.charAt(0)) ? new BigInteger(seg) : seg);
        }
        return Optional.of(new GemVersion(text, segments));
    }

    public boolean isPrerelease() {
        return segments.stream().anyMatch(String.class::isInstance);
    }

    /** Segments without trailing zeros in the release part and in the prerelease part. */
    private List<Object> canonical() {
        int firstString = 0;
        while (firstString < segments.size() && !(segments.get(firstString) instanceof String)) firstString++;
        List<Object> out = new ArrayList<>(dropTrailingZeros(segments.subList(0, firstString)));
        out.addAll(dropTrailingZeros(segments.subList(firstString, segments.size())));
        return out;
    }

    private static List<Object> dropTrailingZeros(List<Object> part) {
        int end = part.size();
        while (end > 0 && BigInteger.ZERO.equals(part.get(end - 1))) end--;
        return part.subList(0, end);
    }

    @Override
    public int compareTo(GemVersion o) {
        List<Object> a = canonical(), b = o.canonical();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            Object x = i < a.size() ? a.get(i) : BigInteger.ZERO, y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            if (x.equals(y)) continue;
            if (x instanceof String sx) return y instanceof String sy ? Integer.signum(sx.compareTo(sy)) : -1;
            return y instanceof BigInteger by ? ((BigInteger) x).compareTo(by) : 1;
        }
        return 0;
    }

    @Override
    public String toString() {
        return text;
    }
}

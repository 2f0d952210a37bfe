package dev.freshet.engine.deps.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, held in normalized form ({@code 1.0.0-ALPHA.1} is {@code 1.0.0a1},
 * {@code 1.0-1} is {@code 1.0.post1}). Ordering is the one of pypa/packaging: epoch, release with
 * trailing zeros ignored, then dev &lt; pre (a &lt; b &lt; rc) &lt; final &lt; post, then local.
 * Text that is not PEP 440 is a {@link LegacyPythonVersion}, which sorts below all of these.
 *
 * @param pre {@code null}, or the phase {@code a}/{@code b}/{@code rc} with its number
 * @param post {@code null} or the post-release number
 * @param dev {@code null} or the dev-release number
 * @param local the local segments after {@code +} (empty if none)
 */
public record Pep440Version(BigInteger epoch, List<BigInteger> release, Pre pre, BigInteger post, BigInteger dev,
        List<String> local) implements PythonVersion {

    public record Pre(String phase, BigInteger number) {}

    public Pep440Version {
        release = List.copyOf(release);
        local = List.copyOf(local);
    }

    // The grammar of packaging.version.VERSION_PATTERN, which already accepts every spelling that
    // PEP 440's normalization section allows (separators, alternate phase names, implicit numbers).
    private static final Pattern PATTERN = Pattern.compile("""
            v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)\
            (?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?\
            (?<post>-(?<postn1>[0-9]+)|[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?)?\
            (?<dev>[-_.]?dev[-_.]?(?<devn>[0-9]+)?)?\
            (?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?""");

    public static Optional<Pep440Version> parse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = PATTERN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) release.add(new BigInteger(part));
        Pre pre = m.group("pre") == null ? null : new Pre(phase(m.group("prel")), number(m.group("pren")));
        BigInteger post = m.group("post") == null ? null
                : number(m.group("postn1") != null ? m.group("postn1") : m.group("postn2"));
        BigInteger dev = m.group("dev") == null ? null : number(m.group("devn"));
        List<String> local = m.group("local") == null ? List.of() : List.of(m.group("local").split("[-_.]"));
        return Optional.of(new Pep440Version(number(m.group("epoch")), release, pre, post, dev, local));
    }

    private static String phase(String spelled) {
        return switch (spelled) {
            case "alpha", "a" -> "a";
            case "beta", "b" -> "b";
            default -> "rc"; // c, pre, preview are all spellings of rc
        };
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    @Override
    public boolean isPrerelease() {
        return pre != null || dev != null;
    }

    @Override
    public int compareTo(PythonVersion other) {
        if (!(other instanceof Pep440Version o)) return 1; // every legacy version sorts first
        int c = epoch.compareTo(o.epoch);
        if (c == 0) c = compareRelease(release, o.release);
        if (c == 0) c = Integer.compare(preRank(), o.preRank());
        if (c == 0 && pre != null) c = pre.number.compareTo(o.pre.number);
        if (c == 0) c = compareMissingLow(post, o.post);
        if (c == 0) c = -compareMissingLow(dev == null ? null : dev.negate(), o.dev == null ? null : o.dev.negate());
        return c == 0 ? compareLocal(local, o.local) : c;
    }

    /** Where the pre-release phase places this: a bare dev release sorts below every pre-release of its release. */
    private int preRank() {
        if (pre == null) return post == null && dev != null ? -1 : 3;
        return switch (pre.phase) { case "a" -> 0; case "b" -> 1; default -> 2; };
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) { // trailing zeros do not count: 1.0 == 1.0.0
            int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int compareMissingLow(BigInteger a, BigInteger b) {
        if (a == null || b == null) return Boolean.compare(a != null, b != null);
        return a.compareTo(b);
    }

    /** Local segments: a missing one sorts first, strings below numbers, numbers numerically. */
    private static int compareLocal(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i), y = b.get(i);
            boolean xn = x.chars().allMatch(Character::isDigit), yn = y.chars().allMatch(Character::isDigit);
            int c = xn && yn ? new BigInteger(x).compareTo(new BigInteger(y)) : xn != yn ? (xn ? 1 : -1) : x.compareTo(y);
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (epoch.signum() != 0) s.append(epoch).append('!');
        s.append(String.join(".", release.stream().map(BigInteger::toString).toList()));
        if (pre != null) s.append(pre.phase).append(pre.number);
        if (post != null) s.append(".post").append(post);
        if (dev != null) s.append(".dev").append(dev);
        if (!local.isEmpty()) s.append('+').append(String.join(".", local));
        return s.toString();
    }
}

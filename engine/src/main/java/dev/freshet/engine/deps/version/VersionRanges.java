package dev.freshet.engine.deps.version;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Version range expressions as GitHub Security Advisories and Trivy's database write them, read
 * into and written from the OSV model.
 *
 * <p>Grammar: alternatives joined by {@code ||}; an alternative is either comparators separated by
 * commas or spaces ({@code >= 1.0, < 2.0}; {@code >}, {@code <=}, {@code =} or {@code ==}, and a
 * bare version meaning {@code =}), or Maven intervals ({@code [1.0,2.0)}, {@code (,1.0]},
 * {@code [1.0]}), several of them joined by commas. Each alternative becomes one ECOSYSTEM range
 * ({@code >= a} introduced, {@code > a} introduced-after, {@code < b} fixed, {@code <= b}
 * last_affected, an upper bound alone introduced "0"); an exact version goes to the versions list.
 * Versions stay as written, so a leading {@code v} means what the ecosystem's scheme says it means.
 */
public final class VersionRanges {

    /** What an expression covers: ranges, and versions listed one by one. */
    public record Parsed(List<AffectedRange> ranges, List<String> versions) {
        public Parsed {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }
    }

    /** Characters a version may not contain: they are the grammar's own. */
    private static final String VERSION = "[^\\s,|<>=!~^*\\[\\]()]+";
    private static final Pattern COMPARATOR = Pattern.compile("\\s*(>=|<=|==|=|>|<)?\\s*(" + VERSION + ")\\s*");
    private static final Pattern INTERVAL = Pattern.compile(
            "\\s*([\\[(])\\s*(" + VERSION + ")?\\s*(?:(,)\\s*(" + VERSION + ")?\\s*)?([\\])])\\s*");

    private VersionRanges() {
    }

    /**
     * Reads one expression; Trivy's lists of expressions are read one string at a time.
     *
     * @throws IllegalArgumentException naming the expression and what is wrong with it
     */
    public static Parsed parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty version range expression");
        }
        List<AffectedRange> ranges = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (String alternative : expression.split("\\|\\|", -1)) {
            String text = alternative.strip();
            if (text.isEmpty()) {
                throw bad(expression, "an alternative around '||' is empty");
            }
            if (text.startsWith("[") || text.startsWith("(")) {
                intervals(expression, text, ranges, versions);
            } else {
                comparators(expression, text, ranges, versions);
            }
        }
        return new Parsed(ranges, versions);
    }

    /** One conjunction such as {@code >= 1.0, < 2.0} or {@code > 1 <= 3}: one span, or one exact version. */
    private static void comparators(String expression, String text, List<AffectedRange> ranges, List<String> versions) {
        Event lower = null, upper = null;
        String exact = null;
        int count = 0;
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw bad(expression, "a comparator between commas is empty");
            }
            Matcher m = COMPARATOR.matcher(part);
            int at = 0;
            while (at < part.length()) {
                m.region(at, part.length());
                if (!m.lookingAt()) {
                    throw bad(expression, "cannot read '" + part.substring(at).strip()
                            + "': expected >=, >, <, <= or = followed by a version");
                }
                at = m.end();
                count++;
                String op = m.group(1) == null ? "=" : m.group(1);
                String version = m.group(2);
                switch (op) {
                    case ">=", ">" -> {
                        if (lower != null) throw bad(expression, "more than one lower bound in '" + text + "'");
                        lower = op.equals(">=") ? new Event.Introduced(version) : new Event.IntroducedAfter(version);
                    }
                    case "<", "<=" -> {
                        if (upper != null) throw bad(expression, "more than one upper bound in '" + text + "'");
                        upper = op.equals("<") ? new Event.Fixed(version) : new Event.LastAffected(version);
                    }
                    default -> exact = version;
                }
            }
        }
        if (exact != null && count > 1) {
            throw bad(expression, "an exact version cannot be combined with other comparators in '" + text + "'");
        }
        if (exact != null) {
            versions.add(exact);
        } else {
            ranges.add(span(lower, upper));
        }
    }

    /** Maven intervals, one or more joined by commas: {@code [1.0,2.0),[3.0,)}. */
    private static void intervals(String expression, String text, List<AffectedRange> ranges, List<String> versions) {
        Matcher m = INTERVAL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (at > 0) {
                if (text.charAt(at) != ',') throw bad(expression, "expected ',' between intervals at '" + text.substring(at) + "'");
                at++;
            }
            m.region(at, text.length());
            if (!m.lookingAt()) {
                throw bad(expression, "cannot read the interval at '" + text.substring(at).strip()
                        + "': expected [a,b], [a,b), (a,b], (a,b), (,b], [a,) or [v]");
            }
            at = m.end();
            boolean inclusiveLow = m.group(1).equals("["), inclusiveHigh = m.group(5).equals("]");
            String low = m.group(2), high = m.group(4);
            if (m.group(3) == null) { // no comma: [v] pins one version
                if (!inclusiveLow || !inclusiveHigh || low == null) {
                    throw bad(expression, "a single-version interval must be written [v]");
                }
                versions.add(low);
                continue;
            }
            if (low == null && high == null) {
                throw bad(expression, "an interval needs at least one bound");
            }
            Event lower = low == null ? null : inclusiveLow ? new Event.Introduced(low) : new Event.IntroducedAfter(low);
            Event upper = high == null ? null : inclusiveHigh ? new Event.LastAffected(high) : new Event.Fixed(high);
            ranges.add(span(lower, upper));
        }
    }

    private static AffectedRange span(Event lower, Event upper) {
        List<Event> events = new ArrayList<>();
        events.add(lower == null ? new Event.Introduced("0") : lower);
        if (upper != null) events.add(upper);
        return new AffectedRange(AffectedRange.Type.ECOSYSTEM, events);
    }

    private static IllegalArgumentException bad(String expression, String problem) {
        return new IllegalArgumentException("bad version range '" + expression + "': " + problem);
    }

    /**
     * The one expression that covers the versions {@code affected} covers, so that
     * {@code parse(format(p))} affects the same versions as {@code p}. GIT ranges, which match no
     * version, are left out; {@code limit}s are folded into the upper bounds. SEMVER ranges are
     * written in the ecosystem's order, which agrees with SemVer's on every ordinary version.
     *
     * @throws IllegalArgumentException if it affects no version, or a version holds grammar characters
     */
    public static String format(AffectedPackage affected) {
        List<String> alternatives = new ArrayList<>();
        for (AffectedRange range : affected.ranges()) {
            if (range.type() != AffectedRange.Type.GIT) {
                alternatives.addAll(alternatives(range, range.scheme(affected.ecosystem()), affected.name()));
            }
        }
        for (String version : affected.versions()) {
            alternatives.add("= " + writable(version, affected.name()));
        }
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException(affected.name() + ": affects no version, so there is no expression for it");
        }
        return String.join(" || ", alternatives);
    }

    /**
     * The spans of one range, found by evaluating it as {@link AffectedRange#contains} does at
     * each event's version and just above it: between two neighbouring event versions nothing
     * changes, so those points decide the whole set.
     */
    private static List<String> alternatives(AffectedRange range, VersionScheme<?> scheme, String name) {
        List<Event> ordered = range.ordered(scheme);
        List<Event> limits = ordered.stream().filter(e -> e instanceof Event.Limit).toList();
        List<Event> events = ordered.stream().filter(e -> !(e instanceof Event.Limit)).toList();
        String cap = limits.stream().map(Event::version).max(scheme::compare).orElse(null);
        List<String> points = new ArrayList<>();
        for (Event event : ordered) {
            boolean seen = points.stream().anyMatch(p -> scheme.compare(p, event.version()) == 0);
            if (!AffectedRange.isZero(event) && !seen) points.add(event.version());
        }
        points.sort(scheme::compare);

        List<String> out = new ArrayList<>();
        boolean open = events.stream().anyMatch(AffectedRange::isZero); // below every point only "0" applies
        String lower = null;
        for (String point : points) {
            boolean belowCap = cap == null || scheme.compare(point, cap) < 0;
            boolean at = belowCap && affected(events, scheme, point, false);
            if (at != open) {
                if (at) lower = ">= " + writable(point, name);
                else out.add(span(lower, "< " + writable(point, name)));
                open = at;
            }
            boolean above = belowCap && affected(events, scheme, point, true);
            if (above != open) {
                if (above) lower = "> " + writable(point, name);
                else out.add(lower != null && lower.equals(">= " + point) ? "= " + point : span(lower, "<= " + writable(point, name)));
                open = above;
            }
        }
        if (open) out.add(span(lower, null));
        return out;
    }

    /** The state after evaluating the events for a version at {@code point}, or just above it. */
    private static boolean affected(List<Event> events, VersionScheme<?> scheme, String point, boolean justAbove) {
        boolean affected = false;
        for (Event event : events) {
            int c = AffectedRange.isZero(event) ? 1 : scheme.compare(point, event.version());
            boolean applies = switch (event) {
                case Event.Introduced e -> c >= 0;
                case Event.Fixed e -> c >= 0;
                case Event.IntroducedAfter e -> justAbove ? c >= 0 : c > 0;
                case Event.LastAffected e -> justAbove ? c >= 0 : c > 0;
                case Event.Limit e -> false;
            };
            if (applies) affected = event instanceof Event.Introduced || event instanceof Event.IntroducedAfter;
        }
        return affected;
    }

    private static String span(String lower, String upper) {
        if (lower == null) return upper == null ? ">= 0" : upper;
        return upper == null ? lower : lower + ", " + upper;
    }

    private static String writable(String version, String name) {
        if (!version.matches(VERSION)) {
            throw new IllegalArgumentException(name + ": version '" + version + "' cannot be written in a range expression");
        }
        return version;
    }
}

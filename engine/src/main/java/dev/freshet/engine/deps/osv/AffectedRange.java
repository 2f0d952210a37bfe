package dev.freshet.engine.deps.osv;

import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.SemVer;
import dev.freshet.engine.deps.version.VersionScheme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One OSV {@code affected[].ranges[]} entry: a type and events that open ({@code introduced}) and
 * close ({@code fixed}, {@code last_affected}) spans of affected versions, plus {@code limit}s
 * that cap them. Evaluated as the OSV schema describes: events in version order, a version is
 * affected while the last event at or below it opened a span.
 */
public record AffectedRange(Type type, List<Event> events) {

    public enum Type { SEMVER, ECOSYSTEM, GIT }

    /** A range event; {@code "0"} as {@code introduced} means "from the very first version". */
    public sealed interface Event {
        String version();

        record Introduced(String version) implements Event {
        }

        /**
         * Opens a span just above {@code version} ({@code > version}). OSV has no such event; it
         * carries GitHub's and Trivy's {@code > a} exactly instead of guessing the next version.
         */
        record IntroducedAfter(String version) implements Event {
        }

        record Fixed(String version) implements Event {
        }

        record LastAffected(String version) implements Event {
        }

        record Limit(String version) implements Event {
        }
    }

    public AffectedRange {
        events = List.copyOf(events);
    }

    /**
     * Whether {@code version} of a package in {@code ecosystem} falls in this range. GIT ranges
     * speak of commits, not versions, and never match a version; events whose version the scheme
     * cannot read are left out rather than guessed at.
     */
    public boolean contains(String version, Ecosystem ecosystem) {
        if (type == Type.GIT) {
            return false;
        }
        VersionScheme<?> scheme = scheme(ecosystem);
        if (!scheme.isValid(version)) {
            return false;
        }
        List<Event> ordered = ordered(scheme);
        List<Event> limits = ordered.stream().filter(e -> e instanceof Event.Limit).toList();
        if (!limits.isEmpty() && limits.stream().noneMatch(limit -> scheme.compare(version, limit.version()) < 0)) {
            return false;
        }
        boolean affected = false;
        for (Event event : ordered) {
            switch (event) {
                case Event.Introduced introduced -> {
                    if (isZero(introduced) || scheme.compare(version, introduced.version()) >= 0) {
                        affected = true;
                    }
                }
                case Event.IntroducedAfter after -> {
                    if (scheme.compare(version, after.version()) > 0) {
                        affected = true;
                    }
                }
                case Event.Fixed fixed -> {
                    if (scheme.compare(version, fixed.version()) >= 0) {
                        affected = false;
                    }
                }
                case Event.LastAffected last -> {
                    if (scheme.compare(version, last.version()) > 0) {
                        affected = false;
                    }
                }
                case Event.Limit limit -> {
                }
            }
        }
        return affected;
    }

    /** The order that versions of this range compare in: SEMVER ranges are plain SemVer 2.0 whatever the ecosystem. */
    public VersionScheme<?> scheme(Ecosystem ecosystem) {
        // The Go reading of SemVer also allows a leading "v".
        return type == Type.SEMVER ? SemVer.GO : ecosystem.scheme();
    }

    /**
     * The events {@link #contains} evaluates, in the order it evaluates them: those whose version
     * {@code scheme} can read (and {@code introduced: "0"}) by version, "0" first, ties as listed.
     */
    public List<Event> ordered(VersionScheme<?> scheme) {
        List<Event> ordered = new ArrayList<>();
        for (Event event : events) {
            if (isZero(event) || scheme.isValid(event.version())) {
                ordered.add(event);
            }
        }
        Comparator<Event> byVersion = (a, b) -> isZero(a) ? (isZero(b) ? 0 : -1) : isZero(b) ? 1 : scheme.compare(a.version(), b.version());
        ordered.sort(byVersion);
        return ordered;
    }

    /** Whether {@code event} is {@code introduced: "0"}, which opens a span below every version. */
    public static boolean isZero(Event event) {
        return event instanceof Event.Introduced && event.version().equals("0");
    }
}

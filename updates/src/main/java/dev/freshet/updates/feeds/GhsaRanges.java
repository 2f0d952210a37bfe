package dev.freshet.updates.feeds;

import dev.freshet.engine.deps.osv.AffectedRange;
import dev.freshet.engine.deps.osv.AffectedRange.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's {@code vulnerableVersionRange} as OSV events. GitHub documents four forms, which map
 * exactly: {@code = v} (one version), {@code < v} (fixed), {@code <= v} (last affected),
 * {@code >= v} (introduced), and a lower bound joined to an upper one by a comma
 * ({@code >= 2.0.0, < 2.9.10.3}). Anything else, such as an exclusive lower bound {@code > v} that
 * OSV events cannot state, is refused rather than approximated.
 */
final class GhsaRanges {
    private static final Pattern CONSTRAINT = Pattern.compile("\\s*(>=|<=|=|<|>)\\s*([^\\s,]+)\\s*");

    /** The same shape as the engine's {@code VersionRanges.Parsed}, so either can be used. */
    record Parsed(List<AffectedRange> ranges, List<String> versions) {
        Parsed {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
        }
    }

    private GhsaRanges() {
    }

    /** @throws IllegalArgumentException naming the expression and what is wrong with it */
    static Parsed parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty version range");
        }
        String lower = null;
        Event upper = null;
        String exact = null;
        for (String part : expression.split(",", -1)) {
            Matcher m = CONSTRAINT.matcher(part);
            if (!m.matches()) {
                throw bad(expression, "'" + part.trim() + "' is not an operator (=, <, <=, >=) followed by a version");
            }
            String operator = m.group(1);
            String version = m.group(2);
            switch (operator) {
                case "=" -> {
                    if (exact != null) {
                        throw bad(expression, "more than one '=' version");
                    }
                    exact = version;
                }
                case ">=" -> {
                    if (lower != null) {
                        throw bad(expression, "more than one lower bound");
                    }
                    lower = version;
                }
                case "<", "<=" -> {
                    if (upper != null) {
                        throw bad(expression, "more than one upper bound");
                    }
                    upper = operator.equals("<") ? new Event.Fixed(version) : new Event.LastAffected(version);
                }
                default -> throw bad(expression, "an exclusive lower bound '> " + version + "' has no OSV equivalent");
            }
        }
        if (exact != null) {
            if (lower != null || upper != null) {
                throw bad(expression, "'=' cannot be combined with bounds");
            }
            return new Parsed(List.of(), List.of(exact));
        }
        List<Event> events = new ArrayList<>();
        events.add(new Event.Introduced(lower == null ? "0" : lower));
        if (upper != null) {
            events.add(upper);
        }
        return new Parsed(List.of(new AffectedRange(AffectedRange.Type.ECOSYSTEM, events)), List.of());
    }

    private static IllegalArgumentException bad(String expression, String problem) {
        return new IllegalArgumentException("version range '" + expression + "': " + problem);
    }
}

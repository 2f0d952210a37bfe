package dev.freshet.engine.deps.cvss;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics one CVSS version defines, in the order its vector strings list them, with their
 * allowed values; the first {@code mandatory} of them are the base metrics every vector must carry.
 */
record MetricTable(Map<String, List<String>> values, int mandatory, String unknownMetricHint) {

    /** Builds a table from entries such as {@code "AV:N,A,L,P"}. */
    static MetricTable of(int mandatory, String unknownMetricHint, String... entries) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String entry : entries) {
            String[] nameAndValues = entry.split(":");
            values.put(nameAndValues[0], List.of(nameAndValues[1].split(",")));
        }
        return new MetricTable(Collections.unmodifiableMap(values), mandatory, unknownMetricHint);
    }

    /**
     * Reads the {@code METRIC:VALUE/METRIC:VALUE} part of a vector. Returns the metrics in this
     * table's order, so that two spellings of one vector give one normalized form.
     */
    Map<String, String> parse(String input, String body) throws CvssException {
        // GitHub advisories carry vectors with one trailing slash; it leaves nothing in doubt.
        if (body.endsWith("/") && !body.endsWith("//")) body = body.substring(0, body.length() - 1);
        if (body.isEmpty()) throw new CvssException(input, "it has no metrics");
        Map<String, String> found = new HashMap<>();
        for (String part : body.split("/", -1)) {
            int colon = part.indexOf(':');
            if (colon <= 0 || colon == part.length() - 1) {
                throw new CvssException(input, "'" + CvssException.shown(part, 20) + "' is not METRIC:VALUE");
            }
            String name = part.substring(0, colon);
            String value = part.substring(colon + 1);
            List<String> allowed = values.get(name);
            if (allowed == null) {
                throw new CvssException(input, "unknown metric '" + CvssException.shown(name, 20) + "'" + unknownMetricHint);
            }
            if (!allowed.contains(value)) {
                throw new CvssException(input, "metric " + name + " has value '" + CvssException.shown(value, 20)
                        + "', allowed are " + String.join(", ", allowed));
            }
            if (found.putIfAbsent(name, value) != null) {
                throw new CvssException(input, "metric " + name + " appears twice");
            }
        }
        List<String> missing = values.keySet().stream().limit(mandatory).filter(m -> !found.containsKey(m)).toList();
        if (!missing.isEmpty()) {
            throw new CvssException(input, "base metric" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + (missing.size() > 1 ? " are" : " is") + " missing");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        values.keySet().stream().filter(found::containsKey).forEach(m -> ordered.put(m, found.get(m)));
        return Collections.unmodifiableMap(ordered);
    }

    /** The normalized vector string: prefix (may be empty) then the metrics in table order. */
    static String vector(String prefix, Map<String, String> metrics) {
        StringBuilder out = new StringBuilder(prefix);
        metrics.forEach((name, value) -> out.append(out.isEmpty() ? "" : "/").append(name).append(':').append(value));
        return out.toString();
    }
}

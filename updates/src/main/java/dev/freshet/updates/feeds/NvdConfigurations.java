package dev.freshet.updates.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The applicability statements of an NVD CVE record ({@code configurations[].nodes[].cpeMatch[]}
 * in the CVE API 2.0 schema) as typed data. Only what a package rule can use is kept: the matches
 * marked {@code vulnerable} in nodes that are not negated. Nodes that are not vulnerable describe
 * the platform the product runs on (an AND configuration's second node), not what is affected.
 */
final class NvdConfigurations {
    private NvdConfigurations() {
    }

    /**
     * A CPE 2.3 name, formatted-string binding ({@code cpe:2.3:part:vendor:product:version:update:
     * edition:language:sw_edition:target_sw:target_hw:other}); components unescaped, {@code *} for
     * any and {@code -} for not applicable as written.
     */
    record Cpe(String part, String vendor, String product, String version, String update, String targetSoftware) {
        static final String ANY = "*";
        static final String NOT_APPLICABLE = "-";

        /** The CPE a formatted string names, or empty when it is not a well-formed CPE 2.3 name. */
        static Optional<Cpe> parse(String formatted) {
            if (formatted == null || !formatted.startsWith("cpe:2.3:")) {
                return Optional.empty();
            }
            List<String> parts = components(formatted.substring("cpe:2.3:".length()));
            if (parts.size() != 11 || parts.stream().anyMatch(String::isEmpty)) {
                return Optional.empty();
            }
            return Optional.of(new Cpe(parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.get(4), parts.get(8)));
        }

        /** Splits on the colons that are not escaped, and drops the escaping backslashes ({@code \:}, {@code \&}). */
        private static List<String> components(String text) {
            List<String> parts = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == ':') {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            parts.add(current.toString());
            return parts;
        }

        boolean isApplication() {
            return part.equals("a");
        }

        /** Whether the name fixes one version ({@code 2.4.1}), not any ({@code *}) or none ({@code -}). */
        boolean hasExactVersion() {
            return !version.equals(ANY) && !version.equals(NOT_APPLICABLE);
        }
    }

    /**
     * One vulnerable {@code cpeMatch}: the CPE and the version bounds NVD put beside it (each null
     * when absent). Without bounds the CPE's own version is the one affected.
     */
    record CpeMatch(Cpe cpe, String startIncluding, String startExcluding, String endIncluding, String endExcluding) {
        boolean hasBounds() {
            return startIncluding != null || startExcluding != null || endIncluding != null || endExcluding != null;
        }

        boolean hasUpperBound() {
            return endIncluding != null || endExcluding != null;
        }
    }

    /** What a record's configurations say is vulnerable, and how many vulnerable matches named no usable CPE. */
    record Read(List<CpeMatch> matches, int unreadable) {
    }

    /** The vulnerable matches of one {@code cve} object's configurations. */
    static Read read(JsonNode cve) {
        List<CpeMatch> matches = new ArrayList<>();
        int unreadable = 0;
        for (JsonNode configuration : cve.path("configurations")) {
            for (JsonNode node : configuration.path("nodes")) {
                if (node.path("negate").asBoolean(false)) {
                    continue; // "everything but": no package rule can say that
                }
                for (JsonNode match : node.path("cpeMatch")) {
                    if (!match.path("vulnerable").asBoolean(false)) {
                        continue;
                    }
                    Optional<Cpe> cpe = Cpe.parse(match.path("criteria").asText(null));
                    if (cpe.isEmpty()) {
                        unreadable++;
                        continue;
                    }
                    matches.add(new CpeMatch(cpe.get(), text(match, "versionStartIncluding"), text(match, "versionStartExcluding"),
                            text(match, "versionEndIncluding"), text(match, "versionEndExcluding")));
                }
            }
        }
        return new Read(List.copyOf(matches), unreadable);
    }

    private static String text(JsonNode match, String field) {
        JsonNode value = match.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText().strip();
    }
}

package dev.freshet.engine.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.deps.DependencyFinding;
import dev.freshet.engine.rules.Severity;
import dev.freshet.engine.scan.Finding;
import dev.freshet.engine.scan.Fingerprint;
import dev.freshet.engine.scan.ScanProblem;
import dev.freshet.engine.scan.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * SARIF 2.1.0 as GitHub code scanning takes it: one run, every rule in {@code tool.driver.rules} with tags and
 * security-severity, results located relative to {@code %SRCROOT%} (the base directory) and carrying a
 * partial fingerprint, and scan problems as tool execution notifications.
 */
public record SarifReport(String toolVersion) implements ReportWriter {
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    public static final String INFORMATION_URI = "https://freshet.dev";
    public static final String SRCROOT = "%SRCROOT%";
    /** Versioned so a change in what is hashed can move to a new key instead of reopening every alert. */
    public static final String FINGERPRINT_KEY = "freshetMatchHash/v1";

    private static final Pattern CWE = Pattern.compile("CWE-(\\d+)", Pattern.CASE_INSENSITIVE);

    @Override
    public void write(ScanResult result, List<RuleInfo> rules, Path baseDir, Writer out) throws IOException {
        List<Finding> all = new ArrayList<>(result.findings());
        List<RuleInfo> knownRules = new ArrayList<>(rules);
        // An advisory without a CVSS vector has no score to give; none is made up from a default severity.
        Set<String> unscored = new HashSet<>();
        // A vulnerable dependency is reported like a finding of a rule named after the advisory,
        // located at the lockfile line, so code scanning shows and tracks both kinds alike.
        for (DependencyFinding found : result.dependencies()) {
            all.add(asFinding(found));
            if (found.score() == null) {
                unscored.add(found.advisoryIds().get(0));
            }
            // GitHub code scanning ranks results by the rule's security-severity, a CVSS score as text.
            knownRules.add(new RuleInfo(found.advisoryIds().get(0), advisoryDescription(found), severity(found),
                    found.score() == null ? Map.of("category", "security", "references", found.advisoryIds())
                            : Map.of("category", "security", "references", found.advisoryIds(),
                            "security-severity", String.valueOf(found.score().score()))));
        }
        List<Finding> findings = Reports.sortedFindings(all, baseDir);
        List<RuleInfo> allRules = allRules(knownRules.stream().collect(Collectors.toMap(RuleInfo::id,
                r -> r, (a, b) -> a, LinkedHashMap::new)).values().stream().toList(), findings);
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (int i = 0; i < allRules.size(); i++) {
            ruleIndex.put(allRules.get(i).id(), i);
        }

        try (JsonGenerator json = Reports.treeGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("$schema", SCHEMA);
            json.writeStringField("version", "2.1.0");
            json.writeArrayFieldStart("runs");
            json.writeStartObject();
            json.writeObjectFieldStart("tool");
            json.writeObjectFieldStart("driver");
            json.writeStringField("name", "Freshet");
            if (toolVersion != null) {
                json.writeStringField("version", toolVersion);
            }
            json.writeStringField("informationUri", INFORMATION_URI);
            json.writeArrayFieldStart("rules");
            for (RuleInfo rule : allRules) {
                json.writeTree(rule(rule, !unscored.contains(rule.id())));
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();

            json.writeArrayFieldStart("invocations");
            json.writeStartObject();
            json.writeBooleanField("executionSuccessful", true); // problems cost coverage, not the run
            json.writeArrayFieldStart("toolExecutionNotifications");
            for (ScanProblem problem : Reports.sortedProblems(result.problems(), baseDir)) {
                json.writeTree(notification(problem, baseDir));
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();

            json.writeArrayFieldStart("results");
            // Identical matches in one file differ only by occurrence number, so each keeps its own alert. Findings
            // come file by file and the hash covers the path, so the counts of one file are all that need keeping.
            Map<String, Integer> occurrences = new HashMap<>();
            String file = null;
            for (Finding finding : findings) {
                String path = Reports.displayPath(finding.file(), baseDir);
                if (!path.equals(file)) {
                    occurrences.clear();
                    file = path;
                }
                String hash = Fingerprint.of(finding.ruleId(), path, finding.code());
                json.writeTree(sarifResult(finding, ruleIndex.get(finding.ruleId()), hash + ":" + occurrences.merge(hash, 1, Integer::sum),
                        baseDir));
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static ObjectNode notification(ScanProblem problem, Path baseDir) {
        ObjectNode notification = Reports.json().createObjectNode();
        notification.put("level", problem.kind() == ScanProblem.Kind.RULE_ERROR ? "error" : "warning");
        notification.putObject("message").put("text", problem.message() == null ? "" : problem.message());
        notification.putObject("descriptor")
                .put("id", problem.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (problem.file() != null) {
            notification.putArray("locations").addObject().set("physicalLocation",
                    artifactOnly(problem.file(), baseDir));
        }
        return notification;
    }

    /** One result: small enough to build as a tree, unlike the whole log. */
    private static ObjectNode sarifResult(Finding finding, Integer ruleIndex, String fingerprint, Path baseDir) {
        ObjectNode node = Reports.json().createObjectNode();
        node.put("ruleId", finding.ruleId());
        node.put("ruleIndex", ruleIndex);
        node.put("level", finding.severity().sarifLevel());
        node.putObject("message").put("text", finding.message() == null ? "" : finding.message());
        ObjectNode physical = artifactOnly(finding.file(), baseDir);
        ObjectNode region = physical.putObject("region");
        // SARIF needs positive positions; the end column is exclusive in both models.
        region.put("startLine", Math.max(1, finding.startLine()));
        region.put("startColumn", Math.max(1, finding.startColumn()));
        region.put("endLine", Math.max(Math.max(1, finding.startLine()), finding.endLine()));
        region.put("endColumn", Math.max(1, finding.endColumn()));
        if (finding.code() != null) {
            region.putObject("snippet").put("text", finding.code());
        }
        node.putArray("locations").addObject().set("physicalLocation", physical);
        if (finding.fix() != null) {
            node.set("fixes", fixes(finding, baseDir));
        }
        node.putObject("partialFingerprints").put(FINGERPRINT_KEY, fingerprint);
        return node;
    }

    /**
     * SARIF's {@code fixes}: one change to the finding's file, replacing the matched region. The deleted region is
     * the edit's, which can reach past the reported end (a statement's ';').
     */
    private static ArrayNode fixes(Finding finding, Path baseDir) {
        ArrayNode fixes = Reports.json().createArrayNode();
        ObjectNode fix = fixes.addObject();
        fix.putObject("description").put("text", "Replace with: " + finding.fix().edit().replacement());
        ObjectNode change = fix.putArray("artifactChanges").addObject();
        change.set("artifactLocation", artifactOnly(finding.file(), baseDir).get("artifactLocation"));
        ObjectNode replacement = change.putArray("replacements").addObject();
        replacement.putObject("deletedRegion")
                .put("startLine", Math.max(1, finding.startLine()))
                .put("startColumn", Math.max(1, finding.startColumn()))
                .put("endLine", Math.max(Math.max(1, finding.startLine()), finding.endLine()))
                .put("endColumn", Math.max(1, finding.endColumn() + finding.fix().pastEnd()));
        replacement.putObject("insertedContent").put("text", finding.fix().edit().replacement());
        return fixes;
    }

    /** The given rules plus any only named by findings, one per id, by id. */
    private static Finding asFinding(DependencyFinding found) {
        var dependency = found.dependency();
        String message = dependency.name() + "@" + dependency.version() + " is affected by " + String.join(", ", found.advisoryIds())
                + (found.fixedVersions().isEmpty() ? "; no fixed version known" : "; fixed in " + String.join(", ", found.fixedVersions()));
        int line = Math.max(1, dependency.line());
        return new Finding(found.advisoryIds().get(0), severity(found), message, dependency.lockfile(), line, 1, line, 1,
                dependency.name() + "@" + dependency.version(), Map.of("package", dependency.name(), "version", dependency.version(),
                "advisory_ids", found.advisoryIds(), "fixed_versions", found.fixedVersions(),
                "known_exploited", found.kev() != null, "reachability", found.reachability().name().toLowerCase(Locale.ROOT)));
    }

    private static Severity severity(DependencyFinding found) {
        return found.score() == null ? Severity.WARNING : Severity.parse(found.score().rating()).orElse(Severity.WARNING);
    }

    private static String advisoryDescription(DependencyFinding found) {
        return found.summary() == null || found.summary().isBlank()
                ? "Vulnerable dependency: " + String.join(", ", found.advisoryIds()) : found.summary();
    }

    private static List<RuleInfo> allRules(List<RuleInfo> rules, List<Finding> findings) {
        Map<String, RuleInfo> byId = new TreeMap<>();
        for (RuleInfo rule : rules == null ? List.<RuleInfo>of() : rules) {
            byId.putIfAbsent(rule.id(), rule);
        }
        for (Finding finding : findings) {
            byId.computeIfAbsent(finding.ruleId(),
                    id -> new RuleInfo(id, finding.message(), finding.severity(), finding.metadata()));
        }
        return new ArrayList<>(byId.values());
    }

    /** @param mayDeriveScore whether a security-severity may be derived from the rule's severity when it states none */
    private static ObjectNode rule(RuleInfo rule, boolean mayDeriveScore) {
        Map<String, Object> metadata = rule.metadata();
        ObjectNode node = Reports.json().createObjectNode();
        node.put("id", rule.id());
        node.put("name", rule.id());
        node.putObject("shortDescription").put("text", shortDescription(rule));
        node.putObject("fullDescription").put("text", rule.message().isBlank() ? rule.id() : rule.message());
        node.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());

        List<String> references = strings(metadata.get("references"));
        references.stream().filter(SarifReport::isWebUri).findFirst().ifPresent(uri -> node.put("helpUri", uri));
        StringBuilder text = new StringBuilder(rule.message());
        StringBuilder markdown = new StringBuilder(rule.message());
        if (!references.isEmpty()) {
            text.append("\n\nReferences:");
            markdown.append("\n\n**References:**");
            for (String reference : references) {
                text.append("\n - ").append(reference);
                markdown.append("\n - ").append(isWebUri(reference) ? "[" + reference + "](" + reference + ")"
                        : reference);
            }
        }
        node.putObject("help").put("text", text.toString()).put("markdown", markdown.toString());

        ObjectNode properties = node.putObject("properties");
        Set<String> tags = tags(metadata);
        ArrayNode tagsNode = properties.putArray("tags");
        tags.forEach(tagsNode::add);
        String securitySeverity = securitySeverity(rule, mayDeriveScore && tags.contains("security"));
        if (securitySeverity != null) {
            properties.put("security-severity", securitySeverity);
        }
        String precision = precision(metadata.get("confidence"));
        if (precision != null) {
            properties.put("precision", precision);
        }
        return node;
    }

    /** GitHub's conventions: "security", "external/cwe/cwe-N"; OWASP entries kept readable, as Semgrep does. */
    static Set<String> tags(Map<String, Object> metadata) {
        Set<String> cwes = new LinkedHashSet<>();
        for (String cwe : strings(metadata.get("cwe"))) {
            Matcher matcher = CWE.matcher(cwe);
            while (matcher.find()) {
                cwes.add("external/cwe/cwe-" + Integer.parseInt(matcher.group(1)));
            }
        }
        Set<String> owasp = new LinkedHashSet<>();
        for (String entry : strings(metadata.get("owasp"))) {
            owasp.add(entry.regionMatches(true, 0, "OWASP", 0, 5) ? entry : "OWASP-" + entry);
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String category : strings(metadata.get("category"))) {
            tags.add(category.toLowerCase(Locale.ROOT));
        }
        if (!cwes.isEmpty() || !owasp.isEmpty()) {
            tags.add("security");
        }
        tags.addAll(cwes);
        tags.addAll(owasp);
        return tags;
    }

    /**
     * An explicit numeric {@code security-severity} in the metadata, else for security rules one derived from the
     * severity so GitHub ranks it critical (> 9), high (7-8.9), medium (4-6.9) or low (< 4).
     */
    static String securitySeverity(RuleInfo rule, boolean security) {
        Object explicit = rule.metadata().get("security-severity");
        if (explicit != null) {
            try {
                double score = Double.parseDouble(explicit.toString().trim());
                if (score >= 0 && score <= 10) {
                    return String.format(Locale.ROOT, "%.1f", score);
                }
            } catch (NumberFormatException e) {
                // not a score; fall through to the derived one
            }
        }
        if (!security) {
            return null;
        }
        return switch (rule.severity()) {
            case CRITICAL -> "9.5";
            case HIGH, ERROR -> "8.0";
            case MEDIUM, WARNING -> "5.5";
            case LOW, INFO -> "2.0";
            case INVENTORY, EXPERIMENT -> null;
        };
    }

    private static String precision(Object confidence) {
        if (confidence == null) {
            return null;
        }
        return switch (confidence.toString().trim().toLowerCase(Locale.ROOT)) {
            case "high" -> "high";
            case "medium" -> "medium";
            case "low" -> "low";
            default -> null;
        };
    }

    /** The message's first sentence or line, kept short; GitHub shows it as the alert title. */
    private static String shortDescription(RuleInfo rule) {
        String message = rule.message().strip();
        if (message.isEmpty()) {
            return rule.id();
        }
        String first = message.split("\\R", 2)[0];
        int sentenceEnd = first.indexOf(". ");
        if (sentenceEnd > 0) {
            first = first.substring(0, sentenceEnd + 1);
        }
        return first.length() <= 120 ? first : first.substring(0, 117) + "...";
    }

    private static ObjectNode artifactOnly(Path file, Path baseDir) {
        ObjectNode physical = Reports.json().createObjectNode();
        ObjectNode artifact = physical.putObject("artifactLocation");
        Path relative = Reports.relativeTo(file, baseDir);
        if (relative != null) {
            artifact.put("uri", encodePath(Reports.displayPath(file, baseDir)));
            artifact.put("uriBaseId", SRCROOT);
        } else {
            artifact.put("uri", file.toAbsolutePath().normalize().toUri().toString());
        }
        return physical;
    }

    /** Percent-encodes all but unreserved characters and '/', so any file name makes a valid relative URI. */
    static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    private static boolean isWebUri(String text) {
        try {
            URI uri = new URI(text);
            return "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
        } catch (Exception e) {
            return false;
        }
    }

    /** A YAML scalar or list as strings; metadata is hand-written and comes in both shapes. */
    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Iterable<?> items) {
            items.forEach(item -> {
                if (item != null) {
                    out.add(item.toString().strip());
                }
            });
        } else if (value != null) {
            out.add(value.toString().strip());
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}

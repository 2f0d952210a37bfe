package dev.freshet.engine.deps;

import dev.freshet.engine.deps.osv.AffectedPackage;
import dev.freshet.engine.deps.version.Ecosystem;
import dev.freshet.engine.deps.version.VersionRanges;
import dev.freshet.engine.rules.Rule;
import dev.freshet.engine.rules.RuleDefinition;
import dev.freshet.engine.rules.Severity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Advisories as Semgrep-format dependency rules ({@code r2c-internal-project-depends-on}) and back,
 * so vulnerability knowledge travels the same road as code rules: released, diffed, rolled back and
 * compiled into the running knowledge like any rule. Where an advisory names the vulnerable
 * functions (the Go database does), the rule also carries patterns for calls to them, and a scan
 * marks the finding reachable when the project makes such a call.
 */
public final class DependencyRules {
    private static final DumpSettings YAML = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
            .setWidth(200).build();

    private DependencyRules() {
    }

    /** The rule document (a whole {@code rules:} file) for one advisory; null when no package it covers is known here. */
    public static String document(Advisory advisory) {
        List<Map<String, Object>> requirements = new ArrayList<>();
        for (AffectedPackage affected : advisory.affected()) {
            if (affected.ranges().isEmpty() && affected.versions().isEmpty()) {
                continue;
            }
            Map<String, Object> requirement = new LinkedHashMap<>();
            requirement.put("namespace", affected.ecosystem().namespace());
            requirement.put("package", affected.name());
            requirement.put("version", VersionRanges.format(affected));
            requirements.add(requirement);
        }
        if (requirements.isEmpty()) {
            return null;
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", advisory.id());
        rule.put("message", advisory.summary().isBlank() ? advisory.id() : advisory.summary().strip());
        rule.put("severity", severity(advisory.score()).name());
        rule.put("metadata", metadata(advisory));
        rule.put("r2c-internal-project-depends-on", requirements.size() == 1 ? requirements.get(0)
                : Map.of("depends-on-either", requirements));
        List<String> calls = goCallPatterns(advisory);
        if (!calls.isEmpty()) {
            rule.put("languages", List.of("go"));
            rule.put("pattern-either", calls.stream().map(p -> Map.of("pattern", p)).toList());
        }
        return new Dump(YAML).dumpToString(Map.of("rules", List.of(rule)));
    }

    /**
     * The rule severity for an advisory's CVSS rating, as Semgrep's supply-chain rules have it
     * (critical and high are errors); an advisory without a score is a warning.
     */
    static Severity severity(Optional<Advisory.Score> score) {
        return switch (score.map(Advisory.Score::rating).orElse("")) {
            case "CRITICAL", "HIGH" -> Severity.ERROR;
            case "LOW", "NONE" -> Severity.INFO;
            default -> Severity.WARNING;
        };
    }

    private static Map<String, Object> metadata(Advisory advisory) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("category", RuleDefinition.SECURITY);
        // The advisory's own score, so reports rank it as the advisory does; none is made up without one.
        advisory.score().ifPresent(score -> metadata.put("security-severity", String.format(Locale.ROOT, "%.1f", score.score())));
        metadata.put("advisory_ids", advisory.ids());
        putIfPresent(metadata, "published", advisory.published());
        metadata.put("modified", advisory.modified().toString());
        putIfPresent(metadata, "withdrawn", advisory.withdrawn());
        if (!advisory.severityVectors().isEmpty()) {
            metadata.put("cvss", advisory.severityVectors());
        }
        if (!advisory.cwes().isEmpty()) {
            metadata.put("cwe", advisory.cwes());
        }
        if (advisory.kev() != null) {
            Map<String, Object> kev = new LinkedHashMap<>();
            kev.put("date_added", advisory.kev().dateAdded().toString());
            putIfPresent(kev, "due_date", advisory.kev().dueDate());
            kev.put("known_ransomware_use", advisory.kev().knownRansomwareUse());
            metadata.put("kev", kev);
        }
        return metadata;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    /**
     * Patterns for calls of the vulnerable Go symbols: {@code pkg.Func(...)} for a function and
     * {@code $RECEIVER.Method(...)} for a method {@code Type.Method}, where {@code pkg} is the
     * name Go gives the import path (its last element, a major-version suffix dropped).
     */
    static List<String> goCallPatterns(Advisory advisory) {
        Set<String> patterns = new LinkedHashSet<>();
        for (AffectedPackage affected : advisory.affected()) {
            if (affected.ecosystem() != Ecosystem.GO) {
                continue;
            }
            for (AffectedPackage.VulnerableImport imported : affected.imports()) {
                String packageName = goPackageName(imported.path());
                for (String symbol : imported.symbols()) {
                    int dot = symbol.lastIndexOf('.');
                    if (!symbol.matches("[A-Za-z_][\\w]*(\\.[A-Za-z_]\\w*)?") || dot < 0 && packageName == null) {
                        continue;
                    }
                    patterns.add(dot < 0 ? packageName + "." + symbol + "(...)" : "$RECEIVER." + symbol.substring(dot + 1) + "(...)");
                }
            }
        }
        return List.copyOf(patterns);
    }

    static String goPackageName(String importPath) {
        String[] parts = importPath.split("/");
        String last = parts[parts.length - 1];
        if (last.matches("v\\d+") && parts.length > 1) {
            last = parts[parts.length - 2];
        }
        // gopkg.in/yaml.v3 is package yaml; go-foo style names keep only what Go allows in an identifier.
        last = last.replaceFirst("\\.v\\d+$", "");
        String name = last.replaceAll("^go-|-go$", "").replaceAll("[^A-Za-z0-9_]", "");
        return GO_KEYWORDS.contains(name) || name.isEmpty() || Character.isDigit(name.charAt(0)) ? null : name;
    }

    /** A package named like a keyword must be imported under another name, which the advisory cannot know. */
    private static final Set<String> GO_KEYWORDS = Set.of("break", "case", "chan", "const", "continue", "default",
            "defer", "else", "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
            "range", "return", "select", "struct", "switch", "type", "var");

    /** The advisory a dependency rule stands for (the inverse of {@link #document}). */
    public static Advisory advisory(Rule rule) {
        Map<String, Object> metadata = rule.metadata();
        List<String> ids = strings(metadata.get("advisory_ids"));
        List<String> aliases = ids.stream().filter(id -> !id.equals(rule.id())).toList();
        return new Advisory(rule.id(), aliases, rule.message(), instant(metadata.get("published")),
                instant(metadata.getOrDefault("modified", "1970-01-01T00:00:00Z")), instant(metadata.get("withdrawn")),
                rule.dependsOn(), strings(metadata.get("cvss")), strings(metadata.get("cwe")), kev(metadata.get("kev")));
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    private static Instant instant(Object value) {
        try {
            return value == null ? null : Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Advisory.Kev kev(Object value) {
        if (!(value instanceof Map<?, ?> kev) || kev.get("date_added") == null) {
            return null;
        }
        try {
            Object due = kev.get("due_date");
            return new Advisory.Kev(LocalDate.parse(String.valueOf(kev.get("date_added"))),
                    due == null ? null : LocalDate.parse(String.valueOf(due)),
                    Boolean.parseBoolean(String.valueOf(kev.get("known_ransomware_use"))));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

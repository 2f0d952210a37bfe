package dev.freshet.engine.deps.osv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.deps.Advisory;
import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads OSV records from JSON or YAML text. A record that breaks the schema is rejected with one
 * reason naming what is wrong; parts of a valid record that Freshet cannot use (an ecosystem it
 * does not know, a GIT range) are left out of matching, not errors.
 */
public final class OsvParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every YAML scalar read as text: an unquoted version such as 1.10 must not become the number 1.1. */
    private static final LoadSettings YAML = LoadSettings.builder().setMaxAliasesForCollections(50)
            .setCodePointLimit(8 * 1024 * 1024).setSchema(new org.snakeyaml.engine.v2.schema.FailsafeSchema()).build();

    /** The outcome of reading one file: a record, or why there is none. */
    public sealed interface Result {
        record Parsed(Advisory record) implements Result {
        }

        record Rejected(String reason) implements Result {
        }
    }

    private OsvParser() {
    }

    public static Result parse(String text, boolean yaml) {
        JsonNode root;
        try {
            root = yaml ? JSON.valueToTree(new Load(YAML).loadFromString(text)) : JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            return new Result.Rejected("not valid " + (yaml ? "YAML" : "JSON") + ": " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return new Result.Rejected("not an OSV record (expected an object)");
        }
        String id = root.path("id").asText("");
        if (id.isBlank()) {
            return new Result.Rejected("missing 'id'");
        }
        Optional<Instant> modified = instant(root.get("modified"));
        if (modified.isEmpty()) {
            return new Result.Rejected(id + ": missing or bad 'modified' time");
        }
        List<AffectedPackage> affected = new ArrayList<>();
        for (JsonNode entry : root.path("affected")) {
            JsonNode pkg = entry.path("package");
            Optional<Ecosystem> ecosystem = Ecosystem.fromName(pkg.path("ecosystem").asText(""));
            String name = pkg.path("name").asText("");
            if (ecosystem.isEmpty() || name.isBlank()) {
                continue;
            }
            List<AffectedRange> ranges = new ArrayList<>();
            for (JsonNode range : entry.path("ranges")) {
                AffectedRange.Type type;
                try {
                    type = AffectedRange.Type.valueOf(range.path("type").asText(""));
                } catch (IllegalArgumentException e) {
                    return new Result.Rejected(id + ": unknown range type '" + range.path("type").asText("") + "'");
                }
                List<AffectedRange.Event> events = new ArrayList<>();
                for (JsonNode event : range.path("events")) {
                    event.fields().forEachRemaining(field -> {
                        String version = field.getValue().asText();
                        switch (field.getKey()) {
                            case "introduced" -> events.add(new AffectedRange.Event.Introduced(version));
                            case "fixed" -> events.add(new AffectedRange.Event.Fixed(version));
                            case "last_affected" -> events.add(new AffectedRange.Event.LastAffected(version));
                            case "limit" -> events.add(new AffectedRange.Event.Limit(version));
                            default -> {
                            }
                        }
                    });
                }
                if (events.stream().noneMatch(e -> e instanceof AffectedRange.Event.Introduced)) {
                    return new Result.Rejected(id + ": a range of " + name + " has no 'introduced' event");
                }
                ranges.add(new AffectedRange(type, events));
            }
            List<String> versions = new ArrayList<>();
            entry.path("versions").forEach(v -> versions.add(v.asText()));
            List<AffectedPackage.VulnerableImport> imports = new ArrayList<>();
            for (JsonNode imported : entry.path("ecosystem_specific").path("imports")) {
                List<String> symbols = new ArrayList<>();
                imported.path("symbols").forEach(symbol -> symbols.add(symbol.asText()));
                imports.add(new AffectedPackage.VulnerableImport(imported.path("path").asText(name), symbols));
            }
            affected.add(new AffectedPackage(ecosystem.get(), name, ranges, versions, imports));
        }
        List<String> aliases = new ArrayList<>();
        root.path("aliases").forEach(a -> aliases.add(a.asText()));
        List<String> severities = new ArrayList<>();
        root.path("severity").forEach(s -> severities.add(s.path("score").asText()));
        // GitHub's OSV export keeps CWE ids under database_specific; others name none.
        List<String> cwes = new ArrayList<>();
        root.path("database_specific").path("cwe_ids").forEach(c -> cwes.add(c.asText()));
        return new Result.Parsed(new Advisory(id, aliases, root.path("summary").asText(""),
                instant(root.get("published")).orElse(null), modified.get(), instant(root.get("withdrawn")).orElse(null),
                affected, severities, cwes, null));
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}

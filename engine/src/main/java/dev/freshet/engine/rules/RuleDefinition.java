package dev.freshet.engine.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule says about itself, read once from its YAML into types: the governance of releases
 * and updates decides on these fields, never on the YAML text. The matching logic is compiled by
 * {@link RuleLoader}.
 *
 * @param category   {@code metadata.category}, lower case, when the rule has one
 * @param minVersion {@code min-version}: the oldest engine the rule is written for, as written
 * @param maxVersion {@code max-version}: the newest engine the rule is written for, as written
 * @param line      the line of the rule's mapping in its document (1-based)
 */
public record RuleDefinition(String id, Optional<Severity> severity, List<String> languages, Optional<String> category,
                             Map<String, Object> metadata, Optional<String> minVersion, Optional<String> maxVersion, int line) {
    public static final String SECURITY = "security";

    public RuleDefinition {
        languages = List.copyOf(languages);
    }

    /** Whether the rule finds security problems: updates to such rules may follow a faster policy. */
    public boolean isSecurity() {
        return category.filter(SECURITY::equals).isPresent();
    }

    /**
     * The rules of a rule document that have an id; rules without one, and documents that are not
     * rule files, give nothing (the loader reports those).
     */
    public static List<RuleDefinition> read(String yaml) {
        if (!(Yaml.parse(yaml) instanceof Yaml.Mapping top) || !(top.get("rules") instanceof Yaml.Sequence rules)) {
            return List.of();
        }
        List<RuleDefinition> definitions = new ArrayList<>();
        for (Yaml item : rules.items()) {
            if (item instanceof Yaml.Mapping rule && rule.get("id") instanceof Yaml.Scalar id) {
                Map<String, Object> metadata = rule.get("metadata") instanceof Yaml.Mapping m ? plainMap(m) : Map.of();
                Optional<String> category = Optional.ofNullable(metadata.get("category")).filter(String.class::isInstance)
                        .map(c -> ((String) c).strip().toLowerCase(Locale.ROOT));
                Optional<Severity> severity = rule.get("severity") instanceof Yaml.Scalar s ? Severity.parse(s.value()) : Optional.empty();
                List<String> languages = rule.get("languages") instanceof Yaml.Sequence l
                        ? l.items().stream().filter(Yaml.Scalar.class::isInstance).map(v -> ((Yaml.Scalar) v).value()).toList()
                        : List.of();
                definitions.add(new RuleDefinition(id.value(), severity, languages, category, metadata, scalar(rule, "min-version"),
                        scalar(rule, "max-version"), rule.line()));
            }
        }
        return definitions;
    }

    private static Optional<String> scalar(Yaml.Mapping rule, String key) {
        return rule.get(key) instanceof Yaml.Scalar s ? Optional.of(s.value()) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(Yaml.Mapping mapping) {
        return (Map<String, Object>) Yaml.plain(mapping);
    }
}

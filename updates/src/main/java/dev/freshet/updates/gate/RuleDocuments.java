package dev.freshet.updates.gate;

import dev.freshet.engine.hash.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Splits a rule file into one document per rule, so that each rule is validated, released and
 * compared on its own. The documents are re-dumped YAML, which makes their text (and hash)
 * independent of the original file's comments and layout.
 */
final class RuleDocuments {
    /** The same limits the engine's rule loader uses against alias bombs and huge documents. */
    private static final LoadSettings LOAD = LoadSettings.builder()
            .setMaxAliasesForCollections(50).setAllowRecursiveKeys(false).setAllowDuplicateKeys(false)
            .setCodePointLimit(16 * 1024 * 1024).build();
    private static final DumpSettings DUMP = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK).setDereferenceAliases(true).setSplitLines(false).setWidth(1000).build();

    private RuleDocuments() {
    }

    /**
     * One rule as a complete rule document.
     *
     * @param id   the rule's id, or {@code (rule N)} when it has none
     * @param rule the rule's mapping, or an empty map when the item is not a mapping
     */
    record Document(String id, Map<String, Object> rule, String yaml, String sha256) {
    }

    /** The file's rules, each as its own document; throws with the reason when the file is not a rule file. */
    static List<Document> split(String text) {
        Object top;
        try {
            top = new Load(LOAD).loadFromString(text);
        } catch (YamlEngineException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("").strip();
            throw new IllegalArgumentException("not valid YAML: " + message);
        }
        if (!(top instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> rules)) {
            throw new IllegalArgumentException("expected a top-level 'rules:' list");
        }
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Object item = rules.get(i);
            Map<String, Object> rule = new LinkedHashMap<>();
            if (item instanceof Map<?, ?> m) {
                m.forEach((k, v) -> rule.put(String.valueOf(k), v));
            }
            String id = rule.get("id") instanceof Object value && !(value instanceof Map || value instanceof List)
                    ? String.valueOf(value) : "(rule " + (i + 1) + ")";
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("rules", List.of(item == null ? Map.of() : item));
            String yaml = new Dump(DUMP).dumpToString(document);
            documents.add(new Document(id, rule, yaml, sha256(yaml)));
        }
        return documents;
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}

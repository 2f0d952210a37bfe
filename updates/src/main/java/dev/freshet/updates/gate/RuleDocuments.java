package dev.freshet.updates.gate;

import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.rules.YamlInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Splits a rule file into one document per rule, so that each rule is validated, released and
 * compared on its own. The documents are re-dumped YAML, which makes their text (and hash)
 * independent of the original file's comments and layout.
 */
final class RuleDocuments {
    private static final DumpSettings DUMP = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK).setDereferenceAliases(true).setSplitLines(false).setWidth(1000).build();

    private RuleDocuments() {
    }

    /**
     * One rule as a complete rule document.
     *
     * @param id the rule's id, or {@code (rule N)} when it has none
     */
    record Document(String id, String yaml, String sha256) {
    }

    /** A file that is not a rule file, and where the reader found out. */
    static final class NotARuleFile extends IllegalArgumentException {
        final int line;

        NotARuleFile(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /**
     * The file's rules, each as its own document.
     *
     * @throws NotARuleFile               when the file is not a rule file (not YAML, no {@code rules:} list)
     * @throws YamlInput.LimitExceeded when the file is over the reader's limits
     */
    static List<Document> split(String text) {
        Object top;
        try {
            top = YamlInput.load(text);
        } catch (YamlInput.LimitExceeded e) {
            throw e;
        } catch (YamlEngineException e) {
            int line = e instanceof MarkedYamlEngineException marked ? marked.getProblemMark().map(m -> m.getLine() + 1).orElse(0) : 0;
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("").strip();
            throw new NotARuleFile(line, "not valid YAML" + (line > 0 ? " (line " + line + ")" : "") + ": " + message);
        }
        if (!(top instanceof Map<?, ?> map) || !(map.get("rules") instanceof List<?> rules)) {
            throw new NotARuleFile(1, "expected a top-level 'rules:' list");
        }
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Object item = rules.get(i);
            String id = item instanceof Map<?, ?> rule && rule.get("id") instanceof Object value
                    && !(value instanceof Map || value instanceof List) ? String.valueOf(value) : "(rule " + (i + 1) + ")";
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("rules", List.of(item == null ? Map.of() : item));
            String yaml = new Dump(DUMP).dumpToString(document);
            documents.add(new Document(id, yaml, sha256(yaml)));
        }
        return documents;
    }

    static String sha256(String text) {
        return Sha256.hex(text);
    }
}

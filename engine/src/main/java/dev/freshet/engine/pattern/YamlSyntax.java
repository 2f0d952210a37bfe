package dev.freshet.engine.pattern;

import java.util.Map;
import java.util.Set;

/**
 * YAML documents as Semgrep reads them: a mapping is a dictionary, so a pattern mapping matches a
 * mapping holding its keys and values in any order (others may sit beside them); block and flow
 * styles are the same containers.
 */
final class YamlSyntax implements LanguageSyntax {
    static final YamlSyntax INSTANCE = new YamlSyntax();
    private static final Set<String> MAPPINGS = Set.of("block_mapping", "flow_mapping");
    /** Block and flow style of the same container, both ways. */
    private static final Map<String, String> STYLES = Map.of("block_mapping", "flow_mapping", "flow_mapping", "block_mapping",
            "block_mapping_pair", "flow_pair", "flow_pair", "block_mapping_pair", "block_sequence", "flow_sequence",
            "flow_sequence", "block_sequence", "block_node", "flow_node", "flow_node", "block_node");

    private YamlSyntax() {
    }

    @Override
    public boolean isUnordered(String kind) {
        return MAPPINGS.contains(kind);
    }

    @Override
    public String kindAlias(String patternKind) {
        return STYLES.get(patternKind);
    }
}

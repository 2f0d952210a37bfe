package dev.freshet.engine.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** A YAML document as a small tree that remembers the line of every value, for error messages. */
sealed interface Yaml {
    int line();

    record Scalar(String value, int line) implements Yaml {
    }

    record Sequence(List<Yaml> items, int line) implements Yaml {
    }

    record Mapping(Map<String, Yaml> entries, int line) implements Yaml {
        Yaml get(String key) {
            return entries.get(key);
        }
    }

    /** The first document of {@code text}, or null when it is empty; read within {@link YamlInput}'s limits. */
    static Yaml parse(String text) {
        return YamlInput.compose(text).map(Yaml::convert).orElse(null);
    }

    private static Yaml convert(Node node) {
        int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        return switch (node) {
            case ScalarNode scalar -> new Scalar(scalar.getValue(), line);
            case SequenceNode sequence -> {
                List<Yaml> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(convert(item));
                }
                yield new Sequence(items, line);
            }
            case MappingNode mapping -> {
                Map<String, Yaml> entries = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(tuple.getKeyNode());
                    entries.put(key, convert(tuple.getValueNode()));
                }
                yield new Mapping(entries, line);
            }
            default -> new Scalar("", line);
        };
    }

    /** How many values the tree holds, itself included. */
    static int count(Yaml yaml) {
        return switch (yaml) {
            case Scalar s -> 1;
            case Sequence s -> 1 + s.items().stream().mapToInt(Yaml::count).sum();
            case Mapping m -> 1 + m.entries().values().stream().mapToInt(Yaml::count).sum();
        };
    }

    /** Plain Java values (String, List, Map) for metadata. */
    static Object plain(Yaml yaml) {
        return switch (yaml) {
            case Scalar s -> s.value();
            case Sequence s -> s.items().stream().map(Yaml::plain).toList();
            case Mapping m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.entries().forEach((k, v) -> out.put(k, plain(v)));
                yield out;
            }
        };
    }
}

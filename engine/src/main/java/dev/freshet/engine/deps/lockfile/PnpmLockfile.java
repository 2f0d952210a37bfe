package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * pnpm-lock.yaml: the keys of {@code packages}, {@code /name/1.0.0_peer} before lockfile 6,
 * {@code /name@1.0.0(peer)} in 6, {@code name@1.0.0} from 9; {@code name}/{@code version} fields win.
 */
final class PnpmLockfile {
    private PnpmLockfile() {
    }

    static void parse(Found out, String text) throws LockfileException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            throw out.error("invalid YAML: " + e.getMessage().replaceAll("\\s+", " "));
        }
        if (root == null) return; // empty document
        if (!(root instanceof MappingNode map)) throw out.error("the document is not a mapping");
        String lockfileVersion = scalar(get(map, "lockfileVersion"));
        Node packages = get(map, "packages");
        if (lockfileVersion == null && packages == null && get(map, "importers") == null) {
            throw out.error("no lockfileVersion, packages or importers: not a pnpm lockfile");
        }
        if (packages == null || packages instanceof ScalarNode s && s.getValue().isEmpty()) return;
        if (!(packages instanceof MappingNode pkgs)) throw out.error("\"packages\" is not a mapping");
        boolean slashForm = lockfileVersion != null && lockfileVersion.matches("[1-5](\\..*)?");
        for (NodeTuple t : pkgs.getValue()) {
            String key = scalar(t.getKeyNode());
            int line = t.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
            if (key == null) throw out.error(line, "package key is not a string");
            String k = key.startsWith("/") ? key.substring(1) : key;
            if (k.indexOf('(') > 0) k = k.substring(0, k.indexOf('('));
            String name, version;
            if (slashForm && k.lastIndexOf('/') > 0) {
                int slash = k.lastIndexOf('/');
                name = slash > 0 ? k.substring(0, slash) : null;
                version = slash > 0 ? k.substring(slash + 1).replaceFirst("_.*", "") : null;
            } else {
                int at = k.lastIndexOf('@');
                name = at > 0 ? k.substring(0, at) : null;
                version = at > 0 ? k.substring(at + 1) : null;
            }
            if (t.getValueNode() instanceof MappingNode fields) {
                if (scalar(get(fields, "name")) != null) name = scalar(get(fields, "name"));
                if (scalar(get(fields, "version")) != null) version = scalar(get(fields, "version"));
            }
            if (name == null || version == null) throw out.error(line, "cannot read name and version from \"" + key + "\"");
            if (version.matches("(file|link|workspace):.*")) continue;
            out.add(Ecosystem.NPM, name, version, line);
        }
    }

    private static Node get(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) if (key.equals(scalar(t.getKeyNode()))) return t.getValueNode();
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }
}

package dev.freshet.engine.deps.lockfile;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/** JSON lockfiles: package-lock.json / npm-shrinkwrap.json, Pipfile.lock, composer.lock. */
final class JsonLockfiles {
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Found out;
    /** The line each node starts on, so dependencies can point at their version. */
    private final Map<JsonNode, Integer> lines = new IdentityHashMap<>();

    private JsonLockfiles(Found out) {
        this.out = out;
    }

    static void npm(Found out, String text) throws LockfileException {
        JsonLockfiles p = new JsonLockfiles(out);
        ObjectNode root = p.object(p.read(text), "the document");
        JsonNode packages = root.get("packages");
        if (packages != null) {
            p.npmPackages(p.object(packages, "\"packages\""));
        } else if (root.has("dependencies")) {
            p.npmV1(p.object(root.get("dependencies"), "\"dependencies\""));
        } else if (!root.has("lockfileVersion")) {
            throw out.error("neither \"packages\" nor \"dependencies\" nor \"lockfileVersion\": not a package-lock");
        }
    }

    /** lockfileVersion 2 and 3: {@code "node_modules/a/node_modules/b": {"version": ...}}. */
    private void npmPackages(ObjectNode packages) throws LockfileException {
        for (Map.Entry<String, JsonNode> e : packages.properties()) {
            int at = e.getKey().lastIndexOf("node_modules/");
            ObjectNode entry = object(e.getValue(), "package \"" + e.getKey() + "\"");
            if (at < 0 || entry.path("link").asBoolean(false)) continue; // root, workspace dirs, links
            String name = entry.hasNonNull("name") ? entry.get("name").asText() : e.getKey().substring(at + 13);
            npmAdd(name, entry.get("version"));
        }
    }

    /** lockfileVersion 1: nested {@code "dependencies": {"a": {"version": ..., "dependencies": {...}}}}. */
    private void npmV1(ObjectNode deps) throws LockfileException {
        for (Map.Entry<String, JsonNode> e : deps.properties()) {
            ObjectNode entry = object(e.getValue(), "dependency \"" + e.getKey() + "\"");
            npmAdd(e.getKey(), entry.get("version"));
            if (entry.has("dependencies")) npmV1(object(entry.get("dependencies"), "dependencies of " + e.getKey()));
        }
    }

    private void npmAdd(String name, JsonNode versionNode) {
        if (versionNode == null || !versionNode.isTextual()) return; // not installed, or bundled without version
        String version = versionNode.asText();
        if (version.startsWith("npm:")) { // alias: "npm:real-name@1.2.3"
            int at = version.lastIndexOf('@');
            if (at <= 4) return;
            name = version.substring(4, at);
            version = version.substring(at + 1);
        }
        if (version.startsWith("file:") || version.startsWith("link:")) return;
        out.add(Ecosystem.NPM, name, version, lines.getOrDefault(versionNode, 0));
    }

    static void pipfile(Found out, String text) throws LockfileException {
        JsonLockfiles p = new JsonLockfiles(out);
        ObjectNode root = p.object(p.read(text), "the document");
        if (!root.has("default") && !root.has("develop")) throw out.error("no \"default\" or \"develop\" section");
        for (String section : new String[] {"default", "develop"}) {
            if (!root.has(section)) continue;
            for (Map.Entry<String, JsonNode> e : p.object(root.get(section), section).properties()) {
                JsonNode version = p.object(e.getValue(), "package \"" + e.getKey() + "\"").get("version");
                if (version != null && version.isTextual() && version.asText().startsWith("==")) {
                    out.add(Ecosystem.PYPI, e.getKey(), version.asText().substring(2).strip(), p.lines.getOrDefault(version, 0));
                } // git / path entries carry no version
            }
        }
    }

    static void composer(Found out, String text) throws LockfileException {
        JsonLockfiles p = new JsonLockfiles(out);
        ObjectNode root = p.object(p.read(text), "the document");
        if (!root.has("packages") && !root.has("packages-dev")) throw out.error("no \"packages\" or \"packages-dev\"");
        for (String section : new String[] {"packages", "packages-dev"}) {
            JsonNode list = root.get(section);
            if (list == null || list.isNull()) continue;
            if (!list.isArray()) throw out.error("\"" + section + "\" is not an array");
            for (JsonNode pkg : list) {
                ObjectNode o = p.object(pkg, "an entry of \"" + section + "\"");
                JsonNode name = o.get("name"), version = o.get("version");
                if (name == null || !name.isTextual() || version == null || !version.isTextual()) {
                    throw out.error(p.lines.getOrDefault(o, 0), "package without a textual name and version");
                }
                String v = version.asText().matches("v\\d.*") ? version.asText().substring(1) : version.asText();
                out.add(Ecosystem.PACKAGIST, name.asText(), v, p.lines.getOrDefault(version, 0));
            }
        }
    }

    private ObjectNode object(JsonNode node, String what) throws LockfileException {
        if (node instanceof ObjectNode o) return o;
        throw out.error(lines.getOrDefault(node, 0), what + " is not a JSON object");
    }

    /** Parses the whole document into a tree, recording where every node starts. */
    private JsonNode read(String text) throws LockfileException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) throw out.error("empty file");
            JsonNode root = value(p);
            if (p.nextToken() != null) throw out.error(p.currentTokenLocation().getLineNr(), "content after the JSON document");
            return root;
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw out.error(line, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LockfileException(out.file(), "cannot read: " + e.getMessage(), e);
        }
    }

    private JsonNode value(JsonParser p) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    o.set(key, value(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p));
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            default -> NODES.nullNode();
        };
        if (!node.isNull() && !(node.isBoolean())) lines.put(node, line);
        return node;
    }
}

package dev.freshet.updates.tuf;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TufCanonicalJsonTest {
    /** OLPC canonical JSON leaves control characters in strings unescaped, which strict JSON parsers refuse. */
    static final JsonMapper RAW_CONTROL_CHARS = JsonMapper.builder().enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS).build();

    static String canonical(String json) throws Exception {
        return new String(CanonicalJson.encode(TufMetadata.JSON.readTree(json)), UTF_8);
    }

    @Test
    void golden() throws Exception {
        String input = """
                { "signed": { "b": [1, true, null, "say \\"hi\\" \\\\ bye"],
                              "a": { "z": "é\\n\\t/", "m": -12345678901234567890, "": {} } },
                  "list": [ ] }""";
        // Sorted keys, no whitespace; only " and \\ escaped, everything else (newline, tab, é) raw UTF-8.
        String expected = "{\"list\":[],\"signed\":{\"a\":{\"\":{},\"m\":-12345678901234567890,\"z\":\"é\n\t/\"},"
                + "\"b\":[1,true,null,\"say \\\"hi\\\" \\\\ bye\"]}}";
        assertThat(canonical(input)).isEqualTo(expected);
    }

    @Test
    void keysSortByCodePointNotByUtf16Unit() throws Exception {
        // U+FFFF sorts before U+1F600, although its UTF-16 unit is larger than the surrogate's.
        assertThat(canonical("{\"\\ud83d\\ude00\": 2, \"\\uffff\": 1}")).isEqualTo("{\"\uffff\":1,\"\ud83d\ude00\":2}");
    }

    @Test
    void keyIdIsTheSha256OfTheCanonicalKey() {
        var key = new TufMetadata.Key("ed25519", "ed25519", Map.of("public", "ab".repeat(32)));
        String canonicalKey = "{\"keytype\":\"ed25519\",\"keyval\":{\"public\":\"" + "ab".repeat(32) + "\"},\"scheme\":\"ed25519\"}";
        assertThat(Ed25519.keyId(key)).isEqualTo(TufMetadata.sha256Hex(canonicalKey.getBytes(UTF_8)));
    }

    @Test
    void rejectsWhatCanonicalJsonCannotHold() {
        assertThatThrownBy(() -> canonical("{\"a\": 1.5}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fractional");
        assertThatThrownBy(() -> canonical("[\"\\ud800\"]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unicode");
    }

    /** Property: key order and formatting never change the encoding, and the encoding is valid JSON of the same value. */
    @Test
    void encodingIgnoresKeyOrderAndFormattingAndRoundTrips() throws Exception {
        Random random = new Random(20260601);
        for (int i = 0; i < 500; i++) {
            JsonNode value = randomValue(random, 0);
            byte[] encoded = CanonicalJson.encode(value);

            JsonNode reparsed = TufMetadata.JSON.readTree(TufMetadata.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shuffled(value, random)));
            assertThat(CanonicalJson.encode(reparsed)).isEqualTo(encoded);
            JsonNode decoded = RAW_CONTROL_CHARS.readTree(encoded);
            assertThat(decoded).isEqualTo(TufMetadata.JSON.readTree(TufMetadata.JSON.writeValueAsBytes(value)));
            assertThat(CanonicalJson.encode(decoded)).isEqualTo(encoded);
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> f.textNode(randomString(random));
            case 1 -> f.numberNode(random.nextLong());
            case 2 -> f.booleanNode(random.nextBoolean());
            case 3 -> f.nullNode();
            case 4 -> {
                ArrayNode array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) array.add(randomValue(random, depth + 1));
                yield array;
            }
            default -> {
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) object.set(randomString(random), randomValue(random, depth + 1));
                yield object;
            }
        };
    }

    private static String randomString(Random random) {
        String alphabet = "ab\"\\ \n\t\u0001é€/";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            if (random.nextInt(10) == 0) s.appendCodePoint(0x1F600 + random.nextInt(10));
            else s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** The same value with every object's keys inserted in a random order. */
    private static JsonNode shuffled(JsonNode node, Random random) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            Collections.shuffle(names, random);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String name : names) copy.set(name, shuffled(node.get(name), random));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> copy.add(shuffled(child, random)));
            return copy;
        }
        return node;
    }
}

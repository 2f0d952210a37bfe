package dev.freshet.engine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rule hashes are stored (releases, the finding cache): the JSON they hash must stay byte for byte what
 * databind wrote before {@link PlainJson} replaced it.
 */
class PlainJsonTest {
    private static final ObjectMapper DATABIND = new ObjectMapper();

    @Test
    void everyBundledRuleIsWrittenAsDatabindWroteIt() throws IOException {
        Path rules = Path.of("..", "rules");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(rules)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertThat(files).as("the bundled rules").hasSizeGreaterThan(5);
        for (Path file : files) {
            Object plain = Yaml.plain(Yaml.parse(Files.readString(file)));
            assertThat(PlainJson.bytes(plain)).as(file.toString()).isEqualTo(DATABIND.writeValueAsBytes(plain));
        }
    }

    @Test
    void hostileTextIsEscapedAsDatabindEscapesIt() throws IOException {
        Yaml rule = Yaml.parse("""
                rules:
                  - id: "quote\\" back\\\\slash \\t tab \\u0001 control \\u2028 separator"
                    message: |
                      naïve ☃ 𝄞 </script> & 'single'
                      second line
                    metadata:
                      numbers: [1, -2.5e3, 0x1F, .inf]
                      empty: {}
                      nested: [[], [{}], {a: [b, {c: ~}]}]
                      "": empty key
                """);
        Object plain = Yaml.plain(rule);
        assertThat(new String(PlainJson.bytes(plain), java.nio.charset.StandardCharsets.UTF_8)).contains("\\\"", "\\u0001", "☃");
        assertThat(PlainJson.bytes(plain)).isEqualTo(DATABIND.writeValueAsBytes(plain));
    }

    @Test
    void aValueNoRuleCanHoldIsRefused() {
        assertThatThrownBy(() -> PlainJson.bytes(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain JSON value: java.lang.Object");
    }
}

package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet rules generate} then {@code freshet rules library}: the library lists what was made, for its tenant only. */
class RulesLibraryCommandTest {
    @TempDir
    Path dir;

    private String[] withStore(String... args) throws Exception {
        Path config = dir.resolve("freshet.toml");
        if (!Files.exists(config)) {
            Files.writeString(config, "");
        }
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dir.resolve("data").toString();
        all[args.length + 2] = "--config";
        all[args.length + 3] = config.toString();
        return all;
    }

    @Test
    void generatedRulesAreListedWithTheirStatusAndMetadata() throws Exception {
        Path shop = Path.of("../bench/generation/projects/express-mongoose").toAbsolutePath().normalize();
        CliRun generated = CliRun.of(withStore("rules", "generate", "--project", shop.toString(), "--count", "2", "--json"));
        assertThat(generated.exit()).as(generated.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(generated.out());
        assertThat(result.get("rules")).hasSize(2);

        CliRun listed = CliRun.of(withStore("rules", "library", "--json"));
        assertThat(listed.exit()).as(listed.err()).isZero();
        JsonNode library = new ObjectMapper().readTree(listed.out());
        assertThat(library.get("track").asText()).isEqualTo("tenants/default/rules");
        assertThat(library.get("rules")).hasSize(2).allSatisfy(rule -> {
            assertThat(rule.get("status").asText()).isEqualTo("live");
            assertThat(rule.get("generation").get("generator").asText()).isEqualTo("offline");
            assertThat(rule.get("yaml").asText()).contains("rules:");
        });
        CliRun text = CliRun.of(withStore("rules", "library"));
        assertThat(text.out()).contains("live", "custom.default.express-nosql-injection", "2 rule(s) in the library of default");

        CliRun unknown = CliRun.of(withStore("rules", "library", "--tenant", "nobody"));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no tenant 'nobody'").doesNotContain("Exception");
    }
}

package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private Path config(String toml) throws IOException {
        return Files.writeString(dir.resolve("freshet.toml"), toml);
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path file = config("data_dir = \"from-file\"\n");
        assertThat(Settings.resolve(file, dir.resolve("from-flag"), Map.of("FRESHET_DATA_DIR", "/from-env")).dataDir())
                .isEqualTo(dir.resolve("from-flag"));
        assertThat(Settings.resolve(file, null, Map.of("FRESHET_DATA_DIR", "/from-env")).dataDir()).isEqualTo(Path.of("/from-env"));
        assertThat(Settings.resolve(file, null, Map.of()).dataDir()).isEqualTo(dir.resolve("from-file"));
    }

    @Test
    void sourcesAndPolicyComeFromTheFile() throws IOException {
        Path file = config("""
                policy = "policy.toml"

                [[sources]]
                name = "starter"
                kind = "local"
                location = "rules"
                schedule = "0 */6 * * *"
                priority = 10
                """);
        Settings settings = Settings.resolve(file, null, Map.of());
        assertThat(settings.policyFile()).isEqualTo(dir.resolve("policy.toml"));
        assertThat(settings.sources()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("starter");
            assertThat(s.priority()).isEqualTo(10);
        });
    }

    @Test
    void scanLimitsComeFromTheFileWhenSet() throws IOException {
        Settings settings = Settings.resolve(config("[scans]\nmax_findings = 500\nmax_per_tenant = 3\n"), null, Map.of());
        assertThat(settings.scans()).isEqualTo(new Settings.Scans(500, 3));
        assertThat(Settings.resolve(config("data_dir = \"x\"\n"), null, Map.of()).scans()).isEqualTo(Settings.Scans.NONE);
        assertThatThrownBy(() -> Settings.resolve(config("[scans]\nmax_finding = 5\n"), null, Map.of()))
                .hasMessageContaining("max_finding");
    }

    @Test
    void mistakesInTheFileAreNamed() throws IOException {
        Path typo = config("data_dri = \"x\"\n");
        assertThatThrownBy(() -> Settings.resolve(typo, null, Map.of())).isInstanceOf(UserError.class)
                .hasMessageContaining("freshet.toml").hasMessageContaining("data_dri");
        Path broken = config("[[sources]\n");
        assertThatThrownBy(() -> Settings.resolve(broken, null, Map.of())).hasMessageContaining("not valid TOML");
        assertThatThrownBy(() -> Settings.resolve(dir.resolve("missing.toml"), null, Map.of())).hasMessageContaining("config file not found");
    }
}

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
    void learningComesFromTheFileAndBecomesAScheduledJobOnlyWithLogs() throws IOException {
        Settings settings = Settings.resolve(config("""
                [learning]
                logs = ["logs/access.log"]
                format = "jsonl"
                schedule = "0 30 2 * * *"
                keep = 3
                min_samples = 200
                max_false_positive_rate = 0.02
                """), null, Map.of());
        assertThat(settings.learning().logFiles()).containsExactly(dir.resolve("logs/access.log"));
        assertThat(settings.learning().scheduleOrDefault()).isEqualTo("0 30 2 * * *");
        assertThat(settings.learning().keepOrDefault()).isEqualTo(3);
        Settings none = Settings.resolve(config("data_dir = \"x\"\n"), null, Map.of());
        assertThat(none.learning()).isEqualTo(Settings.Learning.NONE);
        assertThat(none.learning().scheduleOrDefault()).isEqualTo("0 0 3 * * *");
        assertThat(none.learning().keepOrDefault()).isEqualTo(5);
        assertThatThrownBy(() -> Settings.resolve(config("[learning]\nkeeps = 5\n"), null, Map.of())).hasMessageContaining("keeps");

        try (Parts parts = Parts.open(Settings.resolve(config("data_dir = \"data\"\n[learning]\nlogs = [\"a.log\"]\nformat = \"xml\"\n"),
                null, Map.of()))) {
            assertThatThrownBy(parts::learningJob).isInstanceOf(UserError.class).hasMessageContaining("[learning] format");
        }
        try (Parts parts = Parts.open(Settings.resolve(config("data_dir = \"data\"\n[learning]\nlogs = [\"a.log\"]\nmin_samples = 50\n"),
                null, Map.of()))) {
            assertThat(parts.learningJob()).hasValueSatisfying(job -> {
                assertThat(job.name()).isEqualTo("learn-http-anomaly");
                assertThat(job.logs()).containsExactly(dir.resolve("a.log"));
                assertThat(job.keep()).isEqualTo(5);
            });
            assertThat(parts.learningSettings().minSamples()).isEqualTo(50);
        }
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

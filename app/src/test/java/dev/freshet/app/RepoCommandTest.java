package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code freshet repo}: private keys never land where they would be published or committed. */
class RepoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void initKeepsTheKeysBesideTheRepositoryIgnoredByGitAndSaysSo() throws Exception {
        Path repo = tmp.resolve("myrepo");
        CliRun init = CliRun.of("repo", "init", repo.toString());
        assertThat(init.exit()).as(init.err()).isZero();
        Path keys = tmp.resolve("myrepo-keys");
        assertThat(init.out()).contains("private signing keys in " + keys).contains("ignored by git");
        assertThat(Files.readString(keys.resolve(".gitignore")).lines()).contains("*");
        try (var inRepo = Files.walk(repo)) {
            assertThat(inRepo.filter(f -> f.toString().endsWith(".pem")).toList()).as("no private key inside the repository").isEmpty();
        }
    }

    @Test
    void keysInsideTheRepositoryAreRefused() {
        Path repo = tmp.resolve("served");
        CliRun init = CliRun.of("repo", "init", repo.toString(), "--keys", repo.resolve("keys").toString());
        assertThat(init.exit()).isEqualTo(ExitCodes.ERROR);
        assertThat(init.err()).contains("lies inside the repository").contains("choose a directory outside it");
        assertThat(Files.exists(repo.resolve("keys"))).isFalse();
    }

    @Test
    void jsonIsHonoured() throws Exception {
        CliRun init = CliRun.of("repo", "init", tmp.resolve("r").toString(), "--json");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(new ObjectMapper().readTree(init.out()).get("keys").asText()).isEqualTo(tmp.resolve("r-keys").toString());
    }
}

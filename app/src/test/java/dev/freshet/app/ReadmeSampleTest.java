package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.updates.notify.Routing;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.rollout.RolloutPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's {@code freshet.toml} sample works as pasted into the repository's root. */
class ReadmeSampleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path checkout;

    @Test
    void theFreshetTomlSampleLoadsAndReleasesTheStarterRules() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("```toml\n", readme.indexOf("`freshet.toml` (found in the working directory"));
        assertThat(start).as("the README has a freshet.toml sample").isPositive();
        String sample = readme.substring(start + "```toml\n".length(), readme.indexOf("```", start + 7));
        // A checkout of the directories the sample names, so the test writes nothing into the real one.
        for (String dir : new String[] {"rules", "engine/src/main/java"}) {
            copyTree(ROOT.resolve(dir), checkout.resolve(dir));
        }
        Path config = Files.writeString(checkout.resolve("freshet.toml"), sample);

        Settings settings = Settings.resolve(config, null, Map.of());
        assertThat(settings.dataDir()).isEqualTo(checkout.resolve(".freshet"));
        assertThat(settings.sources()).singleElement().satisfies(s -> assertThat(Path.of(s.location())).isEqualTo(checkout.resolve("rules/")));

        CliRun check = CliRun.of("update", "check", "--config", config.toString());
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("starter").contains("changed").contains("activate (none) ->");
        CliRun status = CliRun.of("update", "status", "--config", config.toString(), "--json");
        assertThat(status.out()).contains("\"rules\" : 17");
    }

    @Test
    void theRolloutPolicySampleIsReadAsWritten() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("```toml\n[rollout]", readme.indexOf("## Rollouts"));
        assertThat(start).as("the README has a [rollout] sample").isPositive();
        String sample = readme.substring(start + "```toml\n".length(), readme.indexOf("```", start + 7));
        RolloutPlan plan = UpdatePolicy.read(Files.writeString(checkout.resolve("policy.toml"), sample)).rolloutPlan().orElseThrow();
        assertThat(plan).as("the sample states the defaults").isEqualTo(RolloutPlan.DEFAULT);
    }

    @Test
    void theNotificationsPolicySampleIsReadAsWritten() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("```toml\n[notifications]", readme.indexOf("## Events, notifications, backup"));
        assertThat(start).as("the README has a [notifications] sample").isPositive();
        String sample = readme.substring(start + "```toml\n".length(), readme.indexOf("```", start + 7));
        UpdatePolicy policy = UpdatePolicy.read(Files.writeString(checkout.resolve("policy.toml"), sample));
        assertThat(policy.notifications().routing()).isEqualTo(Routing.DEFAULT);
        assertThat(policy.testing()).as("the sample states the defaults").isEqualTo(UpdatePolicy.Testing.DEFAULT);
        assertThat(policy.rollback().maxRollbackAttempts()).isEqualTo(3);
        assertThat(policy.notifications().channels(Map.of("FRESHET_WEBHOOK_SECRET", "0123456789abcdef0123"),
                java.net.http.HttpClient.newHttpClient(), java.time.Clock.systemUTC(),
                (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault()))
                .extracting(c -> c.label()).containsExactly("webhook https://hooks.example.com/freshet",
                        "email to secops@example.com via smtp.example.com:587");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

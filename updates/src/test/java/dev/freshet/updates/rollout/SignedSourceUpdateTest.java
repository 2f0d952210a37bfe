package dev.freshet.updates.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.updates.TestParts;
import dev.freshet.updates.policy.UpdatePolicy;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.tuf.TufRepositoryWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A signed repository on a real loopback HTTP server, through the whole update road on the production parts and each store. */
@ParameterizedClass
@EnumSource(Database.Kind.class)
class SignedSourceUpdateTest {
    @Parameter
    Database.Kind kind;

    @RegisterExtension
    final TestParts parts = new TestParts(() -> kind);

    private static String rule(String id, String pattern) {
        return "rules:\n  - id: " + id + "\n    message: found\n    severity: ERROR\n    languages: [python]\n    pattern: " + pattern + "\n";
    }

    @Test
    void verifiedRulesAreReleasedAndATamperedUpdateChangesNothing() throws Exception {
        Path tmp = parts.dir();
        TufRepositoryWriter repo = TufRepositoryWriter.init(tmp.resolve("repo"), tmp.resolve("keys"), TufRepositoryWriter.Settings.defaults());
        repo.add("python/no-eval.yaml", rule("no-eval", "eval(...)").getBytes(StandardCharsets.UTF_8));
        repo.sign();
        repo.publish();
        Path published = repo.publishedDir();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = published.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(published) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            Path trustedRoot = Files.copy(published.resolve("root.json"), tmp.resolve("trusted-root.json"));
            SourceRegistry registry = parts.get().sources();
            registry.add(new SignedRepositorySource("signed", URI.create("http://127.0.0.1:"
                    + server.getAddress().getPort() + "/").toURL(), trustedRoot, SourceSettings.defaults()));
            ReleaseStore releases = parts.get().releases();
            Updater updater = parts.updater(UpdatePolicy.DEFAULT);

            assertThat(updater.check(Trigger.USER).activation()).isPresent();
            Release first = releases.active().orElseThrow();
            assertThat(first.rules()).extracting(r -> r.id()).containsExactly("no-eval");

            repo.add("python/no-exec.yaml", rule("no-exec", "exec(...)").getBytes(StandardCharsets.UTF_8));
            repo.sign();
            repo.publish();
            // An attacker (or a broken mirror) swaps the new file after it was signed.
            Files.writeString(published.resolve("targets/python/no-exec.yaml"), rule("no-exec", "eval(...)"));
            Updater.CheckResult tampered = updater.check(Trigger.SCHEDULE);
            assertThat(tampered.sources()).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(Updater.SourceStatus.FAILED);
                assertThat(o.error()).contains("no-exec.yaml").contains("SHA-256");
            });
            assertThat(tampered.activation()).isEmpty();
            assertThat(releases.active().map(Release::id)).contains(first.id());
            assertThat(registry.find("signed").orElseThrow().lastError()).isPresent();
        } finally {
            server.stop(0);
        }
    }
}

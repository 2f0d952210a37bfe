package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.updates.notify.WebhookSignature;
import dev.freshet.updates.release.Trigger;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} sends the event log to the policy's webhook: an update made while it runs reaches a loopback receiver, signed. */
class ServeNotificationsTest {
    private static final String SECRET = "serve-test-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anUpdateWhileServingReachesTheWebhookSigned() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            boolean signed = WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body, Instant.now(), Duration.ofMinutes(5));
            if (signed) {
                received.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(signed ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Settings settings = Settings.resolve(ServeFixture.config(tmp), null, Map.of());
            Files.createDirectories(settings.policyFile().getParent());
            Files.writeString(settings.policyFile(), """
                    [notifications]
                    webhook_urls = ["http://127.0.0.1:%d/hook"]
                    digest = "immediate"
                    """.formatted(receiver.getAddress().getPort()));
            Parts parts = Parts.open(settings, Engine.create(), Clock.systemUTC(), Map.of("FRESHET_WEBHOOK_SECRET", SECRET));
            try (FreshetService service = ServeFixture.start(parts, tmp, 1000, null)) {
                ServeFixture.addPickleRuleSource(parts, tmp);
                String activated = parts.updater().check(Trigger.USER).activation().orElseThrow().releaseId();

                Instant deadline = Instant.now().plusSeconds(30);
                while (received.stream().noneMatch(b -> b.toString().contains("RELEASE_ACTIVATED")) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                assertThat(received).flatExtracting(b -> List.of(b.get("events").get(0).get("type").asText()))
                        .containsExactly("RELEASE_CREATED", "RELEASE_ACTIVATED");
                assertThat(received.getLast().at("/events/0/release_id").asText()).isEqualTo(activated);
            }
        } finally {
            receiver.stop(0);
        }
    }
}

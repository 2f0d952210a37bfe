package dev.freshet.updates.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.server.SMTPServer;

/**
 * E-mail over STARTTLS against SubEthaSMTP, a real SMTP server that offers the upgrade and here
 * refuses mail before it (its certificate: {@code notify/smtp-localhost.p12}, self-signed for
 * 127.0.0.1, made with keytool for this test only).
 */
class EmailStarttlsTest {
    private static final char[] PASSWORD = "test-only".toCharArray();
    private static final Event CRITICAL = new Event(9, Instant.parse("2026-03-02T10:15:00Z"), EventType.ROLLOUT_ROLLED_BACK,
            EventType.Severity.CRITICAL, "b".repeat(64), null, Map.of("reason", "error rate 0.2 over 0.02"));

    private final List<String> received = new CopyOnWriteArrayList<>();
    private SMTPServer server;

    private static KeyStore keyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = EmailStarttlsTest.class.getResourceAsStream("/notify/smtp-localhost.p12")) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A client that trusts the test certificate, as an operator's trust store would trust their server's. */
    private static SSLSocketFactory trusting() throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    @BeforeEach
    void start() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore(), PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        server = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress()).hostName("127.0.0.1")
                .startTlsSocketFactory(serverTls).requireTLS()
                .simpleMessageListener(new org.subethamail.smtp.helper.SimpleMessageListener() {
                    @Override
                    public boolean accept(String from, String recipient) {
                        return true;
                    }

                    @Override
                    public void deliver(String from, String recipient, InputStream data) throws IOException {
                        received.add(recipient + "\n" + new String(data.readAllBytes(), StandardCharsets.UTF_8));
                    }
                })
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private EmailChannel channel(SSLSocketFactory tls) {
        return new EmailChannel(new EmailChannel.Smtp("127.0.0.1", server.getPortAllocated(), null, null, "freshet@example.com",
                EmailChannel.Security.STARTTLS), List.of("secops@example.com"), tls);
    }

    @Test
    void theChannelUpgradesToTlsBeforeItSendsAnything() throws Exception {
        channel(trusting()).send(new Message("email-tls-e000000000009", Message.Kind.IMMEDIATE, List.of(CRITICAL), CRITICAL.occurredAt()));

        assertThat(received).singleElement().satisfies(mail -> assertThat(mail)
                .startsWith("secops@example.com").contains("Subject: Freshet CRITICAL").contains("error rate 0.2 over 0.02"));
    }

    @Test
    void aServerCertificateTheClientDoesNotTrustGetsNothing() {
        assertThatThrownBy(() -> channel((SSLSocketFactory) SSLSocketFactory.getDefault())
                .send(new Message("test-untrusted", Message.Kind.TEST, List.of(), Instant.now())))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("cannot send e-mail via 127.0.0.1:");
        assertThat(received).isEmpty();
    }
}

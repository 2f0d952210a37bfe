package dev.freshet.updates.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * E-mail notifications through GreenMail, a real SMTP server on loopback. GreenMail does not offer
 * STARTTLS, which shows that the channel refuses to send in the clear where STARTTLS is required.
 */
class EmailChannelTest {
    private static final ServerSetup SMTP = server(ServerSetup.PROTOCOL_SMTP);

    private static ServerSetup server(String protocol) {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol).dynamicPort();
        setup.setServerStartupTimeout(20_000); // a busy machine starts TLS slowly
        return setup;
    }

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(SMTP);


    private static final Event CRITICAL = new Event(7, Instant.parse("2026-03-02T10:15:00Z"), EventType.PROJECT_CRITICAL_FINDING,
            EventType.Severity.CRITICAL, "a".repeat(64), null, Map.of("project", "shop", "advisory", "GHSA-xxxx", "known_exploited", true));

    private EmailChannel channel(int port, EmailChannel.Security security, String user, String password) {
        return new EmailChannel(new EmailChannel.Smtp("127.0.0.1", port, user, password, "freshet@example.com", security),
                List.of("secops@example.com", "oncall@example.com"), (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    @Test
    void aCriticalEventArrivesAsOneMailToEveryRecipientWithTheDeliveryIdAsMessageId() throws Exception {
        MAIL.setUser("freshet", "s3cret");
        channel(MAIL.getSmtp().getPort(), EmailChannel.Security.NONE, "freshet", "s3cret")
                .send(new Message("email-abc-e000000000007", Message.Kind.IMMEDIATE, List.of(CRITICAL), CRITICAL.occurredAt()));

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        assertThat(received[0].getSubject()).isEqualTo("Freshet CRITICAL: project critical finding: release aaaaaaaaaaaa");
        assertThat(received[0].getMessageID()).isEqualTo("<email-abc-e000000000007@freshet>");
        assertThat(GreenMailUtil.getBody(received[0])).contains("advisory=GHSA-xxxx", "known_exploited=true", "project=shop");
    }

    @Test
    void starttlsIsRequiredSoAServerWithoutItGetsNothing() {
        // GreenMail's SMTP does not offer STARTTLS: the channel must not fall back to a plain connection.
        assertThatThrownBy(() -> channel(MAIL.getSmtp().getPort(), EmailChannel.Security.STARTTLS, null, null)
                .send(new Message("test-2", Message.Kind.TEST, List.of(), Instant.now())))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("cannot send e-mail via 127.0.0.1:")
                .hasMessageContaining("STARTTLS");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void aWrongPasswordIsADeliveryFailureNotACrash() {
        MAIL.setUser("freshet", "s3cret");
        assertThatThrownBy(() -> channel(MAIL.getSmtp().getPort(), EmailChannel.Security.NONE, "freshet", "wrong")
                .send(new Message("test-3", Message.Kind.TEST, List.of(), Instant.now())))
                .isInstanceOf(DeliveryException.class).hasMessageContaining("cannot send e-mail");
    }
}

package dev.freshet.updates.notify;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * E-mail through an SMTP server, by default only over STARTTLS: a server that does not offer it
 * gets nothing (no password or event goes out in the clear). The delivery id becomes the
 * Message-ID, so a mail system that sees a retried delivery twice can tell.
 *
 * @param tls the TLS sockets to use (the JDK's default trust; a test passes one that trusts its own server)
 */
public record EmailChannel(Smtp smtp, List<String> recipients, SSLSocketFactory tls) implements Channel {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain connection upgraded with STARTTLS, which the server must offer (port 587). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        TLS,
        /** No encryption: only for a relay on the same host or network. */
        NONE
    }

    /** An SMTP server; the password comes from the environment, never from a file. */
    public record Smtp(String host, int port, String user, String password, String from, Security security) {
        @Override
        public String toString() {
            return "smtp " + host + ":" + port + " (" + security + (user == null ? "" : ", user " + user) + ")";
        }
    }

    public EmailChannel {
        recipients = List.copyOf(recipients);
    }

    @Override
    public String id() {
        return Channel.idOf("email", smtp.host() + ":" + smtp.port() + "/" + String.join(",", recipients.stream().sorted().toList()));
    }

    @Override
    public String label() {
        return "email to " + String.join(", ", recipients) + " via " + smtp.host() + ":" + smtp.port();
    }

    @Override
    public void send(Message message) throws DeliveryException {
        Session session = Session.getInstance(properties());
        try {
            MimeMessage mail = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + message.deliveryId() + "@freshet>");
                }
            };
            mail.setFrom(new InternetAddress(smtp.from(), true));
            mail.setRecipients(jakarta.mail.Message.RecipientType.TO, addresses());
            mail.setSubject(message.title(), StandardCharsets.UTF_8.name());
            mail.setSentDate(Date.from(message.createdAt()));
            mail.setHeader(WebhookSignature.DELIVERY_HEADER, message.deliveryId());
            mail.setText(String.join("\n", message.lines()) + "\n", StandardCharsets.UTF_8.name());
            if (smtp.user() == null) {
                Transport.send(mail);
            } else {
                Transport.send(mail, smtp.user(), smtp.password() == null ? "" : smtp.password());
            }
        } catch (MessagingException e) {
            throw new DeliveryException("cannot send e-mail via " + smtp.host() + ":" + smtp.port() + ": " + rootMessage(e), e);
        }
    }

    private Address[] addresses() throws MessagingException {
        Address[] to = new Address[recipients.size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = new InternetAddress(recipients.get(i), true);
        }
        return to;
    }

    private Properties properties() {
        String protocol = smtp.security() == Security.TLS ? "smtps" : "smtp";
        String timeout = Long.toString(JsonPost.TIMEOUT.toMillis());
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail.transport.protocol.rfc822", protocol); // what Transport.send picks for Internet addresses
        p.put("mail." + protocol + ".host", smtp.host());
        p.put("mail." + protocol + ".port", Integer.toString(smtp.port()));
        p.put("mail." + protocol + ".auth", Boolean.toString(smtp.user() != null));
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        p.put("mail." + protocol + ".ssl.socketFactory", tls);
        if (smtp.security() == Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        return p;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    @Override
    public String toString() {
        return label();
    }
}

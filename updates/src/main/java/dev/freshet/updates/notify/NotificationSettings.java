package dev.freshet.updates.notify;

import dev.freshet.updates.events.EventType;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * The policy file's {@code [notifications]} section as written; absent keys are null. Secrets come
 * from the environment only: {@code FRESHET_WEBHOOK_SECRET} (required with webhooks),
 * {@code FRESHET_SMTP_PASSWORD}, and {@code FRESHET_SLACK_WEBHOOK_URLS} (comma-separated, added to
 * {@code slack_webhook_urls}: a Slack URL is itself a secret).
 *
 * <pre>
 * [notifications]
 * webhook_urls = ["https://hooks.example.com/freshet"]
 * slack_webhook_urls = []
 * email_recipients = ["secops@example.com"]
 * security_alert_immediate = true   # critical events at once, not in the digest
 * digest = "hourly"                 # hourly | daily | immediate (every event at once)
 * min_severity = "info"             # info | warning | critical
 * event_types = []                  # only these types (empty: all)
 * smtp_host = "smtp.example.com"
 * smtp_port = 587
 * smtp_user = "freshet"
 * smtp_from = "freshet@example.com"
 * smtp_security = "starttls"        # starttls | tls | none
 * </pre>
 */
public record NotificationSettings(List<String> webhookUrls, List<String> slackWebhookUrls, List<String> emailRecipients,
                                   Boolean securityAlertImmediate, Routing.Digest digest, EventType.Severity minSeverity,
                                   List<String> eventTypes, String smtpHost, Integer smtpPort, String smtpUser, String smtpFrom,
                                   EmailChannel.Security smtpSecurity) {
    public static final NotificationSettings NONE = new NotificationSettings(null, null, null, null, null, null, null, null, null,
            null, null, null);

    public static final String WEBHOOK_SECRET = "FRESHET_WEBHOOK_SECRET";
    public static final String SMTP_PASSWORD = "FRESHET_SMTP_PASSWORD";
    public static final String SLACK_URLS = "FRESHET_SLACK_WEBHOOK_URLS";

    public Routing routing() {
        Set<EventType> types = new HashSet<>();
        for (String name : or(eventTypes)) {
            try {
                types.add(EventType.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[notifications] event_types: unknown event type '" + name + "' (known: "
                        + Arrays.stream(EventType.values()).map(Enum::name).toList() + ")");
            }
        }
        return new Routing(securityAlertImmediate == null || securityAlertImmediate, digest == null ? Routing.Digest.HOURLY : digest,
                minSeverity == null ? EventType.Severity.INFO : minSeverity, types);
    }

    /** Checks everything that does not need the environment, so a bad policy file fails when it is read. */
    public void check() {
        routing();
        or(webhookUrls).forEach(url -> url("webhook_urls", url));
        or(slackWebhookUrls).forEach(url -> url("slack_webhook_urls", url));
        if (!or(emailRecipients).isEmpty()) {
            if (smtpHost == null || smtpFrom == null) {
                throw new IllegalArgumentException("[notifications] email_recipients needs smtp_host and smtp_from");
            }
            address("smtp_from", smtpFrom);
            or(emailRecipients).forEach(to -> address("email_recipients", to));
            if (smtpPort != null && (smtpPort < 1 || smtpPort > 65535)) {
                throw new IllegalArgumentException("[notifications] smtp_port " + smtpPort + " is not a port (1-65535)");
            }
        }
    }

    /**
     * The channels, with their secrets from {@code environment}.
     *
     * @param tls the TLS sockets e-mail uses (the JDK's default in production)
     */
    public List<Channel> channels(Map<String, String> environment, HttpClient http, Clock clock, SSLSocketFactory tls) {
        check();
        List<Channel> channels = new ArrayList<>();
        if (!or(webhookUrls).isEmpty()) {
            String secret = environment.get(WEBHOOK_SECRET);
            if (secret == null || secret.length() < 16) {
                throw new IllegalArgumentException("[notifications] webhook_urls are set, so " + WEBHOOK_SECRET
                        + " must hold the shared secret the deliveries are signed with (16 characters or more)");
            }
            or(webhookUrls).forEach(url -> channels.add(new WebhookChannel(url("webhook_urls", url),
                    secret.getBytes(StandardCharsets.UTF_8), http, clock)));
        }
        List<String> slack = new ArrayList<>(or(slackWebhookUrls));
        String fromEnvironment = environment.getOrDefault(SLACK_URLS, "");
        Arrays.stream(fromEnvironment.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(slack::add);
        slack.forEach(url -> channels.add(new SlackChannel(url(SLACK_URLS + " / slack_webhook_urls", url), http)));
        if (!or(emailRecipients).isEmpty()) {
            EmailChannel.Security security = smtpSecurity == null ? EmailChannel.Security.STARTTLS : smtpSecurity;
            int port = smtpPort != null ? smtpPort : switch (security) {
                case STARTTLS -> 587;
                case TLS -> 465;
                case NONE -> 25;
            };
            channels.add(new EmailChannel(new EmailChannel.Smtp(smtpHost, port, smtpUser, environment.get(SMTP_PASSWORD), smtpFrom,
                    security), or(emailRecipients), tls));
        }
        return channels;
    }

    private static URI url(String key, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                throw new IllegalArgumentException("[notifications] " + key + ": a URL is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("[notifications] " + key + ": not a URL: " + e.getReason());
        }
    }

    private static void address(String key, String text) {
        try {
            new InternetAddress(text, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("[notifications] " + key + ": '" + text + "' is not an e-mail address");
        }
    }

    private static List<String> or(List<String> list) {
        return list == null ? List.of() : list;
    }
}

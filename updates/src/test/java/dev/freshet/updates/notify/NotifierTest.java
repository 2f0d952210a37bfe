package dev.freshet.updates.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.Fixtures.ManualClock;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.StoreLocation;
import dev.freshet.updates.store.TestStores;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The notifier against real receivers on loopback, its cursors and deliveries in each kind of store. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class NotifierTest {
    private static final byte[] SECRET = "a-shared-secret-for-tests".getBytes(StandardCharsets.UTF_8);
    private static final Instant T = Instant.parse("2026-03-02T10:15:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Routing ALL_AT_ONCE = new Routing(true, Routing.Digest.IMMEDIATE, EventType.Severity.INFO, Set.of());

    @Parameter
    Database.Kind kind;
    @TempDir
    Path tmp;
    StoreLocation location;
    Database database;
    EventLog events;
    ManualClock clock = new ManualClock(T);
    Receiver receiver;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void open() throws IOException {
        location = TestStores.fresh(kind, tmp);
        database = Database.open(location);
        events = new EventLog(database.jdbi());
        receiver = new Receiver();
    }

    @AfterEach
    void close() {
        receiver.close();
        database.close();
    }

    private Notifier notifier(Channel channel, Routing routing) {
        return new Notifier(List.of(channel), routing, new NotificationStore(database.jdbi()), clock,
                new Notifier.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), Notifier.POLL);
    }

    private WebhookChannel webhook() {
        return new WebhookChannel(receiver.url("/hook"), SECRET, http, clock);
    }

    private long event(EventType type) {
        return events.append(clock.instant(), type, "f".repeat(64), Map.of("reason", "test <&> " + type)).id();
    }

    private List<Long> deliveredEventIds() throws IOException {
        List<Long> ids = new ArrayList<>();
        for (Receiver.Request r : receiver.accepted) {
            for (JsonNode e : JSON.readTree(r.body()).get("events")) {
                ids.add(e.get("id").asLong());
            }
        }
        return ids;
    }

    @Test
    void aWebhookDeliveryIsSignedOverTheTimestampAndBodyAndCarriesItsIdempotencyKey() throws IOException {
        WebhookChannel channel = webhook();
        Notifier notifier = notifier(channel, ALL_AT_ONCE);
        notifier.round(channel); // takes the cursor: events from now on
        long id = event(EventType.ROLLOUT_ROLLED_BACK);

        assertThat(notifier.round(channel)).isEqualTo(1);

        Receiver.Request request = receiver.accepted.getFirst();
        assertThat(WebhookSignature.verify(SECRET, request.header("X-Freshet-Timestamp"), request.header("X-Freshet-Signature"),
                request.body(), clock.instant(), Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify("another-secret-entirely".getBytes(StandardCharsets.UTF_8), request.header("X-Freshet-Timestamp"),
                request.header("X-Freshet-Signature"), request.body(), clock.instant(), Duration.ofMinutes(5))).isFalse();
        byte[] tampered = new String(request.body(), StandardCharsets.UTF_8).replace("ROLLOUT_ROLLED_BACK", "ROLLOUT_PROMOTED")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(SECRET, request.header("X-Freshet-Timestamp"), request.header("X-Freshet-Signature"),
                tampered, clock.instant(), Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(SECRET, request.header("X-Freshet-Timestamp"), request.header("X-Freshet-Signature"),
                request.body(), clock.instant().plus(Duration.ofMinutes(10)), Duration.ofMinutes(5))).as("replayed later").isFalse();
        JsonNode body = JSON.readTree(request.body());
        assertThat(request.header("Idempotency-Key")).isEqualTo(body.get("delivery_id").asText()).startsWith(channel.id());
        assertThat(body.get("kind").asText()).isEqualTo("immediate");
        assertThat(body.at("/events/0/id").asLong()).isEqualTo(id);
        assertThat(body.at("/events/0/severity").asText()).isEqualTo("CRITICAL");
        assertThat(body.at("/events/0/payload/reason").asText()).isEqualTo("test <&> ROLLOUT_ROLLED_BACK");
    }

    @Test
    void aReceiverThatWasDownGetsEveryEventLaterOnceInOrderUnderTheSameKeys() throws IOException {
        WebhookChannel channel = webhook();
        Notifier notifier = notifier(channel, ALL_AT_ONCE);
        notifier.round(channel);
        receiver.stop(); // connection refused
        List<Long> produced = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            produced.add(event(EventType.RELEASE_ACTIVATED));
            assertThat(notifier.round(channel)).isZero();
            clock.advance(1_000);
        }
        receiver.restart();
        receiver.status = 503; // up, but refusing
        clock.advance(10_000);
        assertThat(notifier.round(channel)).isZero();
        assertThat(receiver.refused.get()).isEqualTo(1).as("a failing channel tries one delivery per backoff, not all");
        assertThat(notifier.round(channel)).as("still backing off").isZero();
        assertThat(receiver.refused.get()).isEqualTo(1);

        NotificationStore store = new NotificationStore(database.jdbi());
        assertThat(store.overdue(clock.instant())).as("the first delivery was due when its event came, 15 s ago")
                .isEqualTo(Duration.ofSeconds(15));
        receiver.status = 200;
        clock.advance(10_000);
        assertThat(notifier.round(channel)).isEqualTo(5);
        clock.advance(10_000);
        assertThat(notifier.round(channel)).isZero();
        assertThat(store.overdue(clock.instant())).isEqualTo(Duration.ZERO);

        assertThat(deliveredEventIds()).containsExactlyElementsOf(produced);
        assertThat(receiver.accepted).extracting(r -> r.header("Idempotency-Key")).doesNotHaveDuplicates();
        assertThat(notifier.status().getFirst().pending()).isZero();
        assertThat(notifier.status().getFirst().delivered()).isEqualTo(5);
    }

    @Test
    void nothingIsLostOrRepeatedAcrossARestart() throws IOException {
        WebhookChannel channel = webhook();
        notifier(channel, ALL_AT_ONCE).round(channel);
        long first = event(EventType.RELEASE_ACTIVATED);
        notifier(channel, ALL_AT_ONCE).round(channel);
        receiver.status = 500;
        long second = event(EventType.RELEASE_ROLLED_BACK);
        notifier(channel, ALL_AT_ONCE).round(channel); // filed, refused, still pending
        long third = event(EventType.FEED_STALE); // not yet read when the process stops

        database.close();
        database = Database.open(location);
        receiver.status = 200;
        Notifier restarted = notifier(channel, ALL_AT_ONCE);
        restarted.round(channel);

        assertThat(deliveredEventIds()).containsExactly(first, second, third);
    }

    @Test
    void criticalEventsGoAtOnceTheRestInTheHourlyDigest() throws IOException {
        WebhookChannel channel = webhook();
        Notifier notifier = notifier(channel, Routing.DEFAULT);
        notifier.round(channel);
        long info = event(EventType.RELEASE_CREATED);
        long warning = event(EventType.FEED_STALE);
        long critical = event(EventType.PROJECT_CRITICAL_FINDING);

        notifier.round(channel);
        assertThat(deliveredEventIds()).containsExactly(critical);

        clock.set(Instant.parse("2026-03-02T11:00:00Z")); // the hour is over
        notifier.round(channel);
        JsonNode digest = JSON.readTree(receiver.accepted.getLast().body());
        assertThat(digest.get("kind").asText()).isEqualTo("digest");
        assertThat(deliveredEventIds()).containsExactly(critical, info, warning);
        assertThat(digest.get("title").asText()).isEqualTo("Freshet digest: 2 events (WARNING)");
    }

    @Test
    void routingLeavesOutWhatIsBelowTheMinimumOrOfOtherTypes() throws IOException {
        WebhookChannel channel = webhook();
        Notifier notifier = notifier(channel, new Routing(true, Routing.Digest.IMMEDIATE, EventType.Severity.WARNING,
                Set.of(EventType.FEED_STALE, EventType.RELEASE_CREATED)));
        notifier.round(channel);
        event(EventType.RELEASE_CREATED); // below the minimum
        long stale = event(EventType.FEED_STALE);
        event(EventType.ROLLOUT_ROLLED_BACK); // another type
        notifier.round(channel);
        assertThat(deliveredEventIds()).containsExactly(stale);
    }

    @Test
    void slackGetsTextAndBlocksInItsIncomingWebhookFormat() throws IOException {
        SlackChannel channel = new SlackChannel(receiver.url("/services/T000/B000/XXXXXXXX"), http);
        Notifier notifier = notifier(channel, ALL_AT_ONCE);
        notifier.round(channel);
        event(EventType.ROLLOUT_ROLLED_BACK);
        notifier.round(channel);

        JsonNode body = JSON.readTree(receiver.accepted.getFirst().body());
        assertThat(body.get("text").asText()).startsWith("Freshet CRITICAL: rollout rolled back: release ffffffffffff");
        assertThat(body.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(body.at("/blocks/1/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(body.at("/blocks/1/text/text").asText()).contains("reason=test &lt;&amp;&gt; ROLLOUT_ROLLED_BACK");
        assertThat(channel.label()).doesNotContain("XXXXXXXX");
    }

    @Test
    void aTestMessageReachesEachChannelAndAFailureIsReportedPerChannel() {
        receiver.status = 200;
        Channel up = webhook();
        Channel down = new SlackChannel(receiver.url("/down").resolve("http://127.0.0.1:1/nothing-listens"), http);
        Notifier notifier = new Notifier(List.of(up, down), ALL_AT_ONCE, new NotificationStore(database.jdbi()), clock,
                Notifier.Backoff.DEFAULT, Notifier.POLL);
        List<Notifier.TestResult> results = notifier.test();
        assertThat(results).extracting(Notifier.TestResult::delivered).containsExactly(true, false);
        assertThat(results.get(1).error()).contains("cannot reach http://127.0.0.1:1");
        assertThat(receiver.accepted).hasSize(1);
    }
}

package dev.freshet.updates.learning;

import java.util.Collections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.Activation;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training and learning release model versions on their track, in the one release store, on SQLite and PostgreSQL. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class HttpAnomalyLearningTest {
    private static final String SQL_INJECTION = "' or 1=1 --";
    private static final Track TRACK = Track.model(HttpAnomalyModel.NAME);

    @Parameter
    Database.Kind kind;
    @TempDir
    Path directory;
    Database database;
    ReleaseStore releases;
    ActivationService activations;
    ModelReleases versions;
    ModelStore store;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, directory));
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
        releases = new ReleaseStore(database.jdbi(), clock);
        activations = new ActivationService(database.jdbi(), releases, clock);
        versions = new ModelReleases(database.jdbi(), releases, activations, HttpAnomalyModel.NAME);
        store = new ModelStore(directory, HttpAnomalyModel.NAME);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private HttpAnomalyLearning learning(HttpAnomalyLearning.Settings settings, Optional<RolloutPlan> plan) {
        return new HttpAnomalyLearning(store, versions, settings, plan, Clock.systemUTC());
    }

    private HttpAnomalyLearning learning() {
        return learning(HttpAnomalyLearning.Settings.defaults().withSamples(200, 10_000), Optional.empty());
    }

    private HttpAnomalyLearning.Outcome trainShop(HttpAnomalyLearning learning) throws IOException {
        Path benign = directory.resolve("benign.txt");
        Files.writeString(benign, "truncated garbage first\n" + ShopTraffic.raw(ShopTraffic.targets(3_000, 11, List.of("item", "search", "register"))));
        Path payloads = directory.resolve("payloads.csv");
        Files.writeString(payloads, "\"payload\",\"length\",\"attack_type\",\"label\"\n\"" + SQL_INJECTION + "\",\"11\",\"sqli\",\"anom\"\n"
                + "\"<script>alert(\"\"x\"\")</script>\",\"29\",\"xss\",\"anom\"\n\"hello world\",\"11\",\"norm\",\"norm\"\n");
        return learning.train(List.of(benign), TrafficFormat.CSIC, AttackPayloads.readLists(List.of(payloads)));
    }

    private HttpAnomalyModel activeModel() throws Exception {
        return versions.load(versions.active().orElseThrow()).model();
    }

    private Path cartLog(int requests) throws IOException {
        Path logFile = directory.resolve("access.log");
        Files.writeString(logFile, ShopTraffic.combined(ShopTraffic.targets(requests, 12, List.of("cart")), 10, 200));
        return logFile;
    }

    private List<EventType> events() {
        return activations.events().after(0, 1_000).stream().map(Event::type).toList();
    }

    @Test
    void trainingReleasesACalibratedVersionOnTheModelTrack() throws Exception {
        HttpAnomalyLearning.Outcome outcome = trainShop(learning());
        assertThat(outcome.activated()).as(outcome.message()).isTrue();
        assertThat(outcome.provenance()).containsEntry("read", 3_000).containsEntry("malformed", 1L).containsEntry("attack_payloads", 2);
        assertThat((double) outcome.evaluation().get("validation_fpr")).isLessThanOrEqualTo(0.005);
        assertThat((double) outcome.evaluation().get("attack_detection")).isEqualTo(1.0);

        ModelVersion version = versions.active().orElseThrow();
        assertThat(version.parent()).isEmpty();
        assertThat(version.passed()).isTrue();
        Release release = releases.active(TRACK).orElseThrow();
        assertThat(release.rules()).singleElement().satisfies(item -> {
            assertThat(item.sha256()).isEqualTo(version.digest()).isEqualTo(ModelArtifact.digest(item.yaml().getBytes(StandardCharsets.UTF_8)));
            assertThat(item.source()).isEqualTo("learning");
        });
        assertThat(release.notes().evaluation()).containsKeys("validation_fpr", "attack_detection", "threshold");
        assertThat(release.notes().provenance()).containsEntry("read", 3_000).containsEntry("feature_schema", ModelArtifact.FEATURE_SCHEMA);
        assertThat(release.needs()).containsEntry(ModelReleases.FEATURES.name(), releases.active(ModelReleases.FEATURES).orElseThrow().id());
        assertThat(events()).contains(EventType.MODEL_RELEASED, EventType.RELEASE_ACTIVATED);
        assertThat(releases.history(TRACK)).singleElement().extracting(Activation::releaseId).isEqualTo(version.release());
        assertThat(store.attackPayloads()).containsExactly(SQL_INJECTION, "<script>alert(\"x\")</script>");
    }

    @Test
    void aVersionThatFailsTheGateIsKeptWithItsReasonsAndNeverActivated() throws Exception {
        HttpAnomalyLearning.Outcome outcome = trainShop(learning(HttpAnomalyLearning.Settings.defaults().withLimits(0.01, 1.01),
                Optional.empty()));
        assertThat(outcome.activated()).isFalse();
        ModelVersion refused = outcome.version().orElseThrow();
        assertThat(refused.passed()).isFalse();
        assertThat(refused.reasons()).singleElement().asString().contains("below the floor 1.01");
        assertThat(versions.active()).isEmpty();
        assertThat(events()).contains(EventType.MODEL_REJECTED).doesNotContain(EventType.MODEL_RELEASED);
        assertThatThrownBy(() -> activations.activate(refused.release(), Trigger.USER, "try anyway"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("refused by its gate").hasMessageContaining("below the floor");
        assertThatThrownBy(() -> versions.promote(refused, Optional.of(RolloutPlan.DEFAULT), "roll it out"))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("refused by its gate");
        assertThat(versions.find(refused.shortDigest()).release()).isEqualTo(refused.release());
    }

    @Test
    void withAPlanALearnedVersionIsRolledOutWhileTheStableOneStaysLive() throws Exception {
        trainShop(learning());
        ModelVersion first = versions.active().orElseThrow();
        RolloutPlan plan = new RolloutPlan(List.of("shadow", "50", "100"), 60, 1, 5, RolloutPlan.Inconclusive.PAUSE, 0.02, 1.5, 2.0, false);
        HttpAnomalyLearning.Outcome outcome = learning(HttpAnomalyLearning.Settings.defaults().withSamples(200, 10_000), Optional.of(plan))
                .learn(List.of(cartLog(600)), TrafficFormat.COMBINED, false);
        assertThat(outcome.activated()).isFalse();
        assertThat(outcome.rollout()).hasValueSatisfying(rollout -> {
            assertThat(rollout.track()).isEqualTo(TRACK.name());
            assertThat(rollout.stepName()).isEqualTo("shadow");
            assertThat(rollout.releaseId()).isEqualTo(outcome.version().orElseThrow().release());
        });
        assertThat(versions.active().orElseThrow().release()).isEqualTo(first.release());
        assertThat(outcome.version().orElseThrow().parent()).isEqualTo(first.digest());
    }

    @Test
    void operatorsReportsAreLearnedOnceAFlaggedRequestTheyCallBenignAndAMissedAttackKeptForEveryGate() throws Exception {
        trainShop(learning());
        ModelVersion first = versions.active().orElseThrow();
        HttpRequest wishlist = ShopTraffic.request("/shop/wishlist?item=7");
        HttpRequest missed = ShopTraffic.request("/shop/item?id=3&name=" + ShopTraffic.encode("<b>x</b>"));
        assertThat(activeModel().score(wishlist)).as("a route never seen is flagged").isGreaterThan(activeModel().threshold());
        ModelFeedback feedback = new ModelFeedback(database.jdbi(), Clock.systemUTC());
        feedback.report(TRACK, first.release(), ModelFeedback.Kind.FALSE_POSITIVE, wishlist, "our new wishlist", "operator");
        feedback.report(TRACK, first.release(), ModelFeedback.Kind.MISSED_ATTACK, missed, "seen in the shop's logs", "operator");
        HttpAnomalyLearning withReports = new HttpAnomalyLearning(store, versions,
                HttpAnomalyLearning.Settings.defaults().withSamples(200, 10_000), Optional.empty(), Clock.systemUTC(), feedback);

        HttpAnomalyLearning.Outcome outcome = withReports.learn(List.of(cartLog(600)), TrafficFormat.COMBINED, false);

        assertThat(outcome.activated()).as(outcome.message()).isTrue();
        assertThat(outcome.provenance()).containsEntry("reported_benign", 1L).containsEntry("reported_attacks", 1);
        assertThat(activeModel().score(wishlist)).as("learned from the report").isLessThanOrEqualTo(activeModel().threshold());
        assertThat(store.reportedAttacks()).containsExactly(missed);
        assertThat(store.feedbackCursor()).isEqualTo(2);

        Path moreCart = directory.resolve("access-2.log");
        Files.writeString(moreCart, ShopTraffic.combined(ShopTraffic.targets(600, 13, List.of("cart")), 10, 200));
        HttpAnomalyLearning.Outcome again = withReports.learn(List.of(moreCart), TrafficFormat.COMBINED, false);
        assertThat(again.provenance()).as("each report taken in once; the missed attack stays in the gate")
                .containsEntry("reported_benign", 0L).containsEntry("reported_attacks", 1);
    }

    @Test
    void learningFineTunesFromTheActiveVersionAndIsNotPoisoned() throws Exception {
        trainShop(learning());
        ModelVersion first = versions.active().orElseThrow();
        HttpAnomalyModel before = activeModel();
        String attack = "/shop/cart?sku=" + ShopTraffic.encode(SQL_INJECTION) + "&qty=1";
        assertThat(before.score(ShopTraffic.request("/shop/cart?sku=1234&qty=2"))).isGreaterThan(before.threshold());

        List<String> cart = ShopTraffic.targets(600, 12, List.of("cart"));
        StringBuilder log = new StringBuilder(ShopTraffic.combined(cart, 10, 200));
        // Poison: the attack with a 200 status from many clients (payload list), and with error statuses.
        log.append(ShopTraffic.combined(Collections.nCopies(40, attack), 10, 200));
        log.append(ShopTraffic.combined(Collections.nCopies(40, "/shop/cart?sku=%3Cb%3E&qty=1"), 10, 500));
        Path logFile = directory.resolve("access.log");
        Files.writeString(logFile, log);
        HttpAnomalyLearning.Outcome outcome = learning().learn(List.of(logFile), TrafficFormat.COMBINED, false);

        assertThat(outcome.activated()).as(outcome.message()).isTrue();
        assertThat(outcome.provenance()).containsEntry("admitted", 600).containsEntry("quarantined", 80);
        ModelVersion second = versions.active().orElseThrow();
        assertThat(second.parent()).isEqualTo(first.digest());
        assertThat(releases.find(second.release()).orElseThrow().parentId()).isEqualTo(first.release());
        assertThat(second.provenance()).containsEntry("admitted", 600);
        HttpAnomalyModel after = activeModel();
        assertThat(after.score(ShopTraffic.request("/shop/cart?sku=4321&qty=3"))).isLessThanOrEqualTo(after.threshold());
        assertThat(after.score(ShopTraffic.request(attack))).isGreaterThan(after.threshold());
        assertThat(after.score(ShopTraffic.request("/shop/cart?sku=%3Cb%3E&qty=1"))).isGreaterThan(after.threshold());
        assertThat(after.score(ShopTraffic.request("/shop/item?id=3&name=" + ShopTraffic.encode("<b>x</b>")))).isGreaterThan(after.threshold());
        assertThat(Files.readAllLines(store.directory().resolve("quarantine.jsonl"))).hasSize(80)
                .anyMatch(line -> line.contains("\"reason\":\"attack_payload\""));

        HttpAnomalyLearning.Outcome again = learning().learn(List.of(logFile), TrafficFormat.COMBINED, false);
        assertThat(again.version()).isEmpty();
        assertThat(again.provenance()).containsEntry("read", 0);
    }

    @Test
    void aScheduledRunLearnsAndReleasesOrSaysInTheEventLogWhyNot() throws Exception {
        trainShop(learning());
        AtomicInteger released = new AtomicInteger();
        Path log = cartLog(100);
        ModelLearningJob job = new ModelLearningJob(learning(), versions, List.of(log), TrafficFormat.COMBINED, 1, activations.events(),
                Clock.systemUTC(), released::incrementAndGet);
        assertThat(job.name()).isEqualTo("learn-http-anomaly");
        job.run();
        assertThat(released).hasValue(0);
        assertThat(activations.events().after(0, 1_000)).filteredOn(e -> e.type() == EventType.MODEL_LEARNING_SKIPPED).singleElement()
                .satisfies(e -> assertThat(e.payload()).containsEntry("admitted", 100).containsKey("reason"));

        cartLog(600);
        job.run();
        assertThat(released).hasValue(1);
        assertThat(versions.list()).as("retention keeps what history refers to").hasSize(2);
        assertThat(versions.active().orElseThrow().provenance()).containsEntry("admitted", 600);
    }

    @Test
    void tooFewAdmittedRequestsMakeNoVersionAndKeepTheCursor() throws Exception {
        trainShop(learning());
        Path logFile = directory.resolve("access.log");
        Files.writeString(logFile, ShopTraffic.combined(ShopTraffic.targets(50, 13, List.of("item")), 10, 200));
        HttpAnomalyLearning.Outcome outcome = learning().learn(List.of(logFile), TrafficFormat.COMBINED, false);
        assertThat(outcome.version()).isEmpty();
        assertThat(outcome.message()).contains("fewer than the 200");
        assertThat(store.cursors()).isEmpty();
        assertThat(versions.list()).hasSize(1);
    }

    @Test
    void learningNeedsAnActiveVersion() {
        assertThatThrownBy(() -> learning().learn(List.of(directory.resolve("none.log")), TrafficFormat.COMBINED, false))
                .hasMessageContaining("train one first");
    }

    @Test
    void trainingOnTooLittleTrafficSaysWhatIsWrong() throws IOException {
        Path benign = directory.resolve("benign.txt");
        Files.writeString(benign, "not http\n");
        assertThatThrownBy(() -> learning().train(List.of(benign), TrafficFormat.CSIC, new ArrayList<>()))
                .hasMessageContaining("only 0 requests could be read").hasMessageContaining("csic format");
    }
}

package dev.freshet.updates.learning;

import java.util.Collections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.ModelHolder;
import dev.freshet.engine.models.TrafficFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAnomalyLearningTest {
    private static final String SQL_INJECTION = "' or 1=1 --";

    @TempDir
    Path directory;

    private HttpAnomalyLearning learning(ModelStore store) {
        return new HttpAnomalyLearning(store, HttpAnomalyLearning.Settings.defaults().withSamples(200, 10_000),
                Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC));
    }

    private HttpAnomalyLearning.Outcome trainShop(ModelStore store) throws IOException {
        Path benign = directory.resolve("benign.txt");
        Files.writeString(benign, "truncated garbage first\n" + ShopTraffic.raw(ShopTraffic.targets(3_000, 11, List.of("item", "search", "register"))));
        Path payloads = directory.resolve("payloads.csv");
        Files.writeString(payloads, "\"payload\",\"length\",\"attack_type\",\"label\"\n\"" + SQL_INJECTION + "\",\"11\",\"sqli\",\"anom\"\n"
                + "\"<script>alert(\"\"x\"\")</script>\",\"29\",\"xss\",\"anom\"\n\"hello world\",\"11\",\"norm\",\"norm\"\n");
        return learning(store).train(List.of(benign), TrafficFormat.CSIC, AttackPayloads.readLists(List.of(payloads)));
    }

    @Test
    void trainingReleasesACalibratedActiveVersion() throws Exception {
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        HttpAnomalyLearning.Outcome outcome = trainShop(store);
        assertThat(outcome.activated()).as(outcome.message()).isTrue();
        assertThat(outcome.provenance()).containsEntry("read", 3_000).containsEntry("malformed", 1L).containsEntry("attack_payloads", 2);
        assertThat((double) outcome.evaluation().get("validation_fpr")).isLessThanOrEqualTo(0.005);
        assertThat((double) outcome.evaluation().get("attack_detection")).isEqualTo(1.0);
        ModelVersion version = store.active().orElseThrow();
        assertThat(version.parent()).isEmpty();
        assertThat(ModelStoreFiles.artifact(store, version)).exists();
        assertThat(store.attackPayloads()).containsExactly(SQL_INJECTION, "<script>alert(\"x\")</script>");
    }

    @Test
    void learningFineTunesFromTheActiveVersionAndIsNotPoisoned() throws Exception {
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        trainShop(store);
        ModelVersion first = store.active().orElseThrow();
        HttpAnomalyModel before = learning(store).activeArtifact().orElseThrow().model();
        String attack = "/shop/cart?sku=" + ShopTraffic.encode(SQL_INJECTION) + "&qty=1";
        assertThat(before.score(ShopTraffic.request("/shop/cart?sku=1234&qty=2"))).isGreaterThan(before.threshold());

        List<String> cart = ShopTraffic.targets(600, 12, List.of("cart"));
        StringBuilder log = new StringBuilder(ShopTraffic.combined(cart, 10, 200));
        // Poison: the attack with a 200 status from many clients (payload list), and with error statuses.
        log.append(ShopTraffic.combined(Collections.nCopies(40, attack), 10, 200));
        log.append(ShopTraffic.combined(Collections.nCopies(40, "/shop/cart?sku=%3Cb%3E&qty=1"), 10, 500));
        Path logFile = directory.resolve("access.log");
        Files.writeString(logFile, log);
        ModelHolder holder = new ModelHolder(before);
        HttpAnomalyLearning.Outcome outcome = learning(store).learn(List.of(logFile), TrafficFormat.COMBINED, false, holder);

        assertThat(outcome.activated()).as(outcome.message()).isTrue();
        assertThat(outcome.provenance()).containsEntry("admitted", 600).containsEntry("quarantined", 80);
        ModelVersion second = store.active().orElseThrow();
        assertThat(second.parent()).isEqualTo(first.digest());
        HttpAnomalyModel after = holder.current();
        assertThat(after.score(ShopTraffic.request("/shop/cart?sku=4321&qty=3"))).isLessThanOrEqualTo(after.threshold());
        assertThat(after.score(ShopTraffic.request(attack))).isGreaterThan(after.threshold());
        assertThat(after.score(ShopTraffic.request("/shop/cart?sku=%3Cb%3E&qty=1"))).isGreaterThan(after.threshold());
        assertThat(after.score(ShopTraffic.request("/shop/item?id=3&name=" + ShopTraffic.encode("<b>x</b>")))).isGreaterThan(after.threshold());
        assertThat(Files.readAllLines(store.directory().resolve("quarantine.jsonl"))).hasSize(80)
                .anyMatch(line -> line.contains("\"reason\":\"attack_payload\""));

        HttpAnomalyLearning.Outcome again = learning(store).learn(List.of(logFile), TrafficFormat.COMBINED, false, holder);
        assertThat(again.version()).isEmpty();
        assertThat(again.provenance()).containsEntry("read", 0);
    }

    @Test
    void tooFewAdmittedRequestsMakeNoVersionAndKeepTheCursor() throws Exception {
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        trainShop(store);
        Path logFile = directory.resolve("access.log");
        Files.writeString(logFile, ShopTraffic.combined(ShopTraffic.targets(50, 13, List.of("item")), 10, 200));
        HttpAnomalyLearning.Outcome outcome = learning(store).learn(List.of(logFile), TrafficFormat.COMBINED, false,
                new ModelHolder(learning(store).activeArtifact().orElseThrow().model()));
        assertThat(outcome.version()).isEmpty();
        assertThat(outcome.message()).contains("fewer than the 200");
        assertThat(store.cursors()).isEmpty();
        assertThat(store.index().versions()).hasSize(1);
    }

    @Test
    void learningNeedsAnActiveVersion() {
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        assertThatThrownBy(() -> learning(store).learn(List.of(directory.resolve("none.log")), TrafficFormat.COMBINED, false, null))
                .hasMessageContaining("train one first");
    }

    @Test
    void changedArtifactOnDiskIsRefused() throws Exception {
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        trainShop(store);
        ModelVersion version = store.active().orElseThrow();
        Path artifact = ModelStoreFiles.artifact(store, version);
        Files.writeString(artifact, Files.readString(artifact).replace("\"feature_schema\":1", "\"feature_schema\":7"));
        assertThatThrownBy(() -> learning(store).activeArtifact()).hasMessageContaining("does not match its SHA-256");
    }

    @Test
    void trainingOnTooLittleTrafficSaysWhatIsWrong() throws IOException {
        Path benign = directory.resolve("benign.txt");
        Files.writeString(benign, "not http\n");
        ModelStore store = new ModelStore(directory, HttpAnomalyModel.NAME);
        assertThatThrownBy(() -> learning(store).train(List.of(benign), TrafficFormat.CSIC, new ArrayList<>()))
                .hasMessageContaining("only 0 requests could be read").hasMessageContaining("csic format");
    }
}

package dev.freshet.updates.learning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.stream.Collectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.HttpRequest.Parameter;
import dev.freshet.engine.models.ProfileSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    @Test
    void validationFreeValuesAreNeverLearnedButEnumerationsAre() {
        List<HttpRequest> requests = ShopTraffic.targets(4_000, 21, List.of("register", "search")).stream().map(ShopTraffic::request).toList();
        ValidationSplit split = ValidationSplit.of(requests, 0.2);
        assertThat(split.validation().size()).isBetween(600, 1_000);
        Set<String> learnedLogins = new HashSet<>();
        for (HttpRequest request : split.training()) {
            for (Parameter parameter : request.parameters()) {
                if (parameter.name().equals("login") && split.learnsValue(request, parameter)) {
                    learnedLogins.add(parameter.value());
                }
            }
        }
        for (HttpRequest request : split.validation()) {
            request.parameters().stream().filter(p -> p.name().equals("login")).forEach(p -> assertThat(learnedLogins).doesNotContain(p.value()));
            // 'page' has nine values: an enumeration, learned wherever it occurs.
            request.parameters().stream().filter(p -> p.name().equals("page")).forEach(p -> assertThat(split.learnsValue(request, p)).isTrue());
        }
        assertThat(ValidationSplit.of(requests, 0.2)).isEqualTo(split);
    }

    @Test
    void existingValidationValuesAreHeldToo() {
        List<HttpRequest> old = List.of(ShopTraffic.request("/shop/search?q=zzz+unique&page=1"));
        List<HttpRequest> requests = ShopTraffic.targets(500, 22, List.of("search")).stream().map(ShopTraffic::request)
                .collect(Collectors.toCollection(ArrayList::new));
        requests.add(ShopTraffic.request("/shop/search?q=zzz+unique&page=2"));
        ValidationSplit split = ValidationSplit.of(requests, 0.2, old);
        HttpRequest repeat = requests.getLast();
        assertThat(ProfileSet.routeKey(repeat)).isEqualTo("GET /shop/search");
        assertThat(split.learnsValue(repeat, repeat.parameters().getFirst())).isFalse();
    }

    @Test
    void calibrationFlagsAtMostTheTargetShare() {
        double[] scores = new double[1_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i < 990 ? 0 : i;
        }
        double threshold = Calibration.threshold(scores, 0.005);
        assertThat(Arrays.stream(scores).filter(s -> s > threshold).count()).isEqualTo(5);
        assertThat(Calibration.threshold(scores, 0)).isEqualTo(999);
    }

    @Test
    void evaluationFigures() {
        Evaluation evaluation = Evaluation.of(new double[] {0, 0, 0, 2}, new double[] {3, 3, 1, 0}, 0.5);
        assertThat(evaluation.tpr()).isEqualTo(0.75);
        assertThat(evaluation.fpr()).isEqualTo(0.25);
        assertThat(evaluation.precision()).isEqualTo(0.75);
        // Pairs (anomalous above normal): 3 beats all 4 twice, 1 beats 3, 0 ties 3 (half each).
        assertThat(evaluation.auc()).isCloseTo((4 + 4 + 3 + 1.5) / 16.0, within(1e-9));
        assertThat(evaluation.precisionAt1Percent()).isCloseTo(0.0075 / (0.0075 + 0.2475), within(1e-9));
    }

    @Test
    void payloadListsAreReadAsPublished(@TempDir Path directory) throws IOException {
        Path csv = directory.resolve("payload_x.csv");
        Files.writeString(csv, "\"payload\",\"length\",\"attack_type\",\"label\"\n\"a, \"\"quoted\"\"\nline\",\"5\",\"xss\",\"anom\"\n\"benign text\",\"1\",\"norm\",\"norm\"\n");
        Path bad = directory.resolve("badqueries.txt");
        Files.writeString(bad, "/top.php?stuff=%27uname+%3Eq36&x=1\n/scripts/cmd.exe\n");
        assertThat(AttackPayloads.readList(csv)).containsExactly("a, \"quoted\"\nline");
        List<String> fwaf = AttackPayloads.readList(bad);
        assertThat(fwaf).contains("/scripts/cmd.exe", "'uname >q36");
        AttackPayloads payloads = AttackPayloads.ofPayloads(fwaf);
        assertThat(payloads.hit(ShopTraffic.request("/scripts/cmd.exe"))).isNotNull();
        assertThat(payloads.hit(ShopTraffic.request("/shop/search?q=%27UNAME++%3Eq36"))).isNotNull();
        assertThat(payloads.hit(ShopTraffic.request("/shop/search?q=x&page=1"))).isNull();
    }
}

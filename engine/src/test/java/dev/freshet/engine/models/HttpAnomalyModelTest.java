package dev.freshet.engine.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.engine.models.Finding.Feature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpAnomalyModelTest {
    private static final List<String> NAMES = List.of("Ana", "Luis Pérez", "Marta", "Jon Ander", "Eva", "Iñaki", "Rosa María", "Pau");

    static HttpRequest get(String target) {
        try {
            return HttpRequestParser.fromParts("GET", target, List.of(Map.entry("User-Agent", "Mozilla/5.0")), "");
        } catch (RequestParseException e) {
            throw new AssertionError(e);
        }
    }

    /** Benign traffic of a small shop: items with ids and names, and a search page. */
    static ProfileSet shop() {
        ProfileSet profiles = new ProfileSet();
        for (int i = 0; i < 400; i++) {
            profiles.learn(get("/shop/item?id=" + (i % 90 + 1) + "&name=" + NAMES.get(i % NAMES.size()).replace(' ', '+')));
            profiles.learn(get("/shop/search?q=" + NAMES.get((i * 3) % NAMES.size()).replace(' ', '+') + "&page=" + (i % 5)));
        }
        return profiles;
    }

    @Test
    void benignRequestWithKnownShapeScoresZero() {
        HttpAnomalyModel model = new HttpAnomalyModel(shop(), 0.5);
        Assessment assessment = model.assess(get("/shop/item?id=42&name=Marta"));
        assertThat(assessment.findings()).isEmpty();
        assertThat(assessment.anomalous()).isFalse();
    }

    @Test
    void injectionIsExplainedByTheCharactersItBrings() {
        HttpAnomalyModel model = new HttpAnomalyModel(shop(), 0.5);
        Assessment assessment = model.assess(get("/shop/item?id=42%27+OR+%271%27%3D%271&name=Ana"));
        assertThat(assessment.anomalous()).isTrue();
        Finding first = assessment.findings().getFirst();
        assertThat(first.where()).isEqualTo("query:id");
        assertThat(first.feature()).isEqualTo(Feature.NEW_CHARACTERS);
        assertThat(first.hard()).isTrue();
        assertThat(first.reason()).contains("'").contains("=");
    }

    @Test
    void unseenRouteParameterAndLongValueEachHaveTheirReason() {
        HttpAnomalyModel model = new HttpAnomalyModel(shop(), 0.5);
        assertThat(model.assess(get("/shop/item.bak")).findings()).extracting(Finding::feature).contains(Feature.UNSEEN_ROUTE);
        assertThat(model.assess(get("/shop/item?id=4&name=Ana&debug=1")).findings())
                .anySatisfy(f -> assertThat(f).extracting(Finding::feature, Finding::where).containsExactly(Feature.UNSEEN_PARAMETER, "query:debug"));
        Assessment longName = model.assess(get("/shop/item?id=4&name=" + "a".repeat(300)));
        assertThat(longName.findings()).anySatisfy(f -> {
            assertThat(f.feature()).isEqualTo(Feature.LENGTH);
            assertThat(f.reason()).contains("length 300");
        });
        assertThat(model.assess(get("/shop/item?id=4")).findings()).extracting(Finding::feature).contains(Feature.MISSING_PARAMETER);
    }

    @Test
    void hardFindingsOutrankAnySumOfSoftOnes() {
        HttpAnomalyModel model = new HttpAnomalyModel(shop(), 0);
        double soft = model.score(get("/shop/search?page=3&q=" + "Ana+".repeat(80)));
        double hard = model.score(get("/shop/search?q=%3Cscript%3E&page=1"));
        assertThat(soft).isPositive().isLessThan(Assessment.HARD_WEIGHT);
        assertThat(hard).isGreaterThanOrEqualTo(Assessment.HARD_WEIGHT);
    }

    @Test
    void pathIdentifiersShareOneRoute() {
        assertThat(ProfileSet.routeKey(get("/users/123/orders/9f3e2a1b4c5d6e7f8a9b"))).isEqualTo("GET /users/{n}/orders/{id}");
        assertThat(ProfileSet.routeKey(get("/users/ana"))).isEqualTo("GET /users/ana");
    }

    @Test
    void fineTuningIsExact() {
        ProfileSet whole = shop();
        ProfileSet incremental = shop().copy();
        HttpRequest extra = get("/shop/item?id=7&name=Zoe%27s");
        whole.learn(extra);
        incremental.learn(extra);
        HttpRequest probe = get("/shop/item?id=8&name=O%27Neil");
        assertThat(new HttpAnomalyModel(incremental, 0).assess(probe)).isEqualTo(new HttpAnomalyModel(whole, 0).assess(probe));
    }

    @Test
    void artifactRoundTripsAndNamesItselfBySha256() throws IncompatibleModelException {
        HttpAnomalyModel model = new HttpAnomalyModel(shop(), 1.25);
        ModelArtifact artifact = new ModelArtifact(ModelArtifact.Manifest.of("", "2026-12-07T00:00:00Z", 1.25, 0.005,
                Map.of("admitted", 800), Map.of("validation_fpr", 0.004)), model);
        byte[] bytes = artifact.toBytes();
        ModelArtifact read = ModelArtifact.fromBytes(bytes);
        assertThat(read.manifest().provenance()).containsEntry("admitted", 800);
        assertThat(read.model().threshold()).isEqualTo(1.25);
        HttpRequest probe = get("/shop/item?id=1&name=%3Cb%3E");
        assertThat(read.model().assess(probe)).isEqualTo(model.assess(probe));
        assertThat(ModelArtifact.digest(bytes)).hasSize(64).isEqualTo(ModelArtifact.digest(bytes.clone()));
    }

    @Test
    void incompatibleArtifactsAreRefusedWithTheReason() {
        byte[] bytes = new ModelArtifact(ModelArtifact.Manifest.of("", "now", 1, 0.005, Map.of(), Map.of()),
                new HttpAnomalyModel(shop(), 1)).toBytes();
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ModelArtifact.fromBytes(text.replace("\"feature_schema\":1", "\"feature_schema\":2").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("needs feature schema 2");
        assertThatThrownBy(() -> ModelArtifact.fromBytes(text.replace("\"engine_version\":1", "\"engine_version\":9").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("needs model engine 9").hasMessageContaining("upgrade Freshet");
        assertThatThrownBy(() -> ModelArtifact.fromBytes(text.replace("http-anomaly", "other").getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("model 'other'");
        assertThatThrownBy(() -> ModelArtifact.fromBytes(text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a model artifact");
        assertThatThrownBy(() -> ModelArtifact.fromBytes("{\"manifest\":{\"format\":\"freshet-model\",\"name\":\"http-anomaly\",\"feature_schema\":1,\"engine_version\":1}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no profiles");
    }
}

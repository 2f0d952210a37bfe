package dev.freshet.updates.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.RolloutPlan;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Model versions as releases: the file index moves in without loss, retention keeps what is referred to. */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ModelReleasesTest {
    @Parameter
    Database.Kind kind;
    @TempDir
    Path directory;
    Database database;
    ReleaseStore releases;
    ActivationService activations;
    ModelReleases versions;

    @BeforeEach
    void open() {
        database = Database.open(TestStores.fresh(kind, directory));
        releases = new ReleaseStore(database.jdbi(), Clock.systemUTC());
        activations = new ActivationService(database.jdbi(), releases, Clock.systemUTC());
        versions = new ModelReleases(database.jdbi(), releases, activations, HttpAnomalyModel.NAME);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static ModelArtifact artifact(String created, String parent) {
        return new ModelArtifact(ModelArtifact.Manifest.of(parent, created, 1.5, 0.005, Map.of("read", 10), Map.of("validation_fpr", 0.0)),
                new HttpAnomalyModel(new ProfileSet(), 1.5));
    }

    /** index.json and versions/ as Freshet wrote them before model versions were releases. */
    @Test
    void theFileIndexMovesIntoTheTrackWithItsActiveVersionAndRefusals() throws Exception {
        Path modelDir = directory.resolve("models").resolve(HttpAnomalyModel.NAME);
        Files.createDirectories(modelDir.resolve("versions"));
        List<Map<String, Object>> index = new java.util.ArrayList<>();
        String[] digests = new String[3];
        for (int i = 0; i < 3; i++) {
            byte[] bytes = artifact("2026-12-0" + (i + 1) + "T00:00:00Z", i == 0 ? "" : digests[i - 1]).toBytes();
            digests[i] = ModelArtifact.digest(bytes);
            Files.write(modelDir.resolve("versions").resolve(digests[i] + ".json"), bytes);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("digest", digests[i]);
            entry.put("parent", i == 0 ? "" : digests[i - 1]);
            entry.put("created", "2026-12-0" + (i + 1) + "T00:00:00Z");
            entry.put("passed", i != 2);
            entry.put("reasons", i == 2 ? List.of("false-positive rate 0.2 on validation is above the limit 0.01") : List.of());
            entry.put("threshold", 1.5);
            index.add(entry);
        }
        index.add(Map.of("digest", "0".repeat(64), "passed", true)); // its artifact file is gone
        new ObjectMapper().writeValue(modelDir.resolve("index.json").toFile(), Map.of("active", digests[1], "versions", index));

        List<String> leftOut = versions.importFiles(modelDir);

        assertThat(leftOut).singleElement().asString().contains("0".repeat(64));
        assertThat(versions.list()).extracting(ModelVersion::digest).containsExactly(digests[2], digests[1], digests[0]);
        assertThat(versions.active().orElseThrow().digest()).isEqualTo(digests[1]);
        assertThat(versions.find(digests[1].substring(0, 10)).parent()).isEqualTo(digests[0]);
        assertThat(versions.find(digests[0]).created()).as("when it was trained, not when it was imported").isEqualTo("2026-12-01T00:00:00Z");
        ModelVersion refused = versions.find(digests[2]);
        assertThat(refused.passed()).isFalse();
        assertThat(refused.reasons()).containsExactly("false-positive rate 0.2 on validation is above the limit 0.01");
        assertThat(versions.load(versions.active().orElseThrow()).manifest().created()).isEqualTo("2026-12-02T00:00:00Z");
        assertThat(modelDir.resolve("index.json")).doesNotExist();
        assertThat(modelDir.resolve("index.json.imported")).exists();
        assertThat(modelDir.resolve("versions").resolve(digests[0] + ".json")).exists();
        assertThat(versions.importFiles(modelDir)).as("a second start imports nothing").isEmpty();
        assertThat(versions.list()).hasSize(3);
    }

    @Test
    void retentionKeepsTheNewestTheActiveAndARolloutsCandidateAndDeletesTheRest() {
        ModelVersion live = versions.add(artifact("2026-12-01T00:00:00Z", ""), "learning", List.of());
        versions.promote(live, Optional.empty(), "first");
        ModelVersion refused = versions.add(artifact("2026-12-02T00:00:00Z", live.digest()), "learning", List.of("too noisy"));
        ModelVersion candidate = versions.add(artifact("2026-12-03T00:00:00Z", live.digest()), "learning", List.of());
        versions.promote(candidate, Optional.of(RolloutPlan.DEFAULT), "rolling out");
        ModelVersion newest = versions.add(artifact("2026-12-04T00:00:00Z", live.digest()), "learning", List.of());
        ModelVersion unused = versions.add(artifact("2026-12-02T12:00:00Z", live.digest()), "learning", List.of());

        assertThat(versions.collect(2)).containsExactly(refused.release());

        assertThat(versions.list()).extracting(ModelVersion::release)
                .containsExactlyInAnyOrder(live.release(), candidate.release(), newest.release(), unused.release());
        assertThat(releases.find(refused.release())).isEmpty();
        int blobs = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM blobs WHERE sha256 = :s")
                .bind("s", refused.digest()).mapTo(Integer.class).one());
        assertThat(blobs).as("the refused version's artifact").isZero();
        assertThat(versions.active().orElseThrow().release()).isEqualTo(live.release());
        assertThat(versions.collect(1)).as("only the one stored last is among the newest 1").containsExactly(newest.release());
        assertThat(versions.list()).extracting(ModelVersion::release)
                .containsExactlyInAnyOrder(live.release(), candidate.release(), unused.release());
        assertThatThrownBy(() -> versions.collect(0)).isInstanceOf(ReleaseException.class).hasMessageContaining("at least 1");
    }
}

package dev.freshet.updates.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.TrafficFormat;
import dev.freshet.updates.events.Event;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.sources.GitSource;
import dev.freshet.updates.sources.LocalDirectorySource;
import dev.freshet.updates.sources.SignedRepositoryFetcher;
import dev.freshet.updates.sources.SignedRepositorySource;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceRegistry;
import dev.freshet.updates.sources.SourceSettings;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.TestStores;
import dev.freshet.updates.tuf.RepoServer;
import dev.freshet.updates.tuf.TufRepositoryWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Model versions from outside: artifacts made by another Freshet's {@code train}, offered by a
 * directory or by a signed repository on a real loopback HTTP server, downloaded, verified, gated
 * on this store's validation data and released; tampered, incompatible and failing ones never go live.
 */
@ExtendWith(TestStores.DropAfterEach.class)
@ParameterizedClass
@EnumSource(Database.Kind.class)
class ModelSourcesTest {
    private static final Track TRACK = Track.model(HttpAnomalyModel.NAME);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameter
    Database.Kind kind;
    @TempDir
    Path directory;
    Database database;
    ModelReleases versions;
    ActivationService activations;
    SourceRegistry registry;
    ModelSources sources;

    @BeforeEach
    void open() throws IOException {
        database = Database.open(TestStores.fresh(kind, directory));
        Clock clock = Clock.systemUTC();
        ReleaseStore releases = new ReleaseStore(database.jdbi(), clock);
        activations = new ActivationService(database.jdbi(), releases, clock);
        versions = new ModelReleases(database.jdbi(), releases, activations, HttpAnomalyModel.NAME);
        registry = new SourceRegistry(database.jdbi(), clock);
        HttpAnomalyLearning learning = new HttpAnomalyLearning(new ModelStore(directory, HttpAnomalyModel.NAME), versions,
                HttpAnomalyLearning.Settings.defaults().withSamples(200, 10_000), Optional.empty(), clock);
        SourceFetchers fetchers = new SourceFetchers(directory.resolve("git"),
                source -> new SignedRepositoryFetcher(source, directory.resolve("trust").resolve(source.name())));
        sources = new ModelSources(registry, fetchers, versions, learning, activations.events(), clock);
        // This store's own first version: its validation split is what every offered version is gated on.
        learning.train(List.of(traffic("local.txt", 11, List.of("item", "search", "register"))), TrafficFormat.CSIC, List.of("' or 1=1 --"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Path traffic(String name, long seed, List<String> routes) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, ShopTraffic.raw(ShopTraffic.targets(3_000, seed, routes)));
        return file;
    }

    /** The artifact another Freshet's {@code freshet models train} makes, from its own store, with its own traffic. */
    private byte[] vendorArtifact(String name, List<String> routes) throws Exception {
        Path vendorDir = Files.createDirectories(directory.resolve("vendor-" + name));
        try (Database vendorDb = Database.open(TestStores.fresh(Database.Kind.SQLITE, vendorDir))) {
            Clock clock = Clock.systemUTC();
            ReleaseStore releases = new ReleaseStore(vendorDb.jdbi(), clock);
            ModelReleases vendorVersions = new ModelReleases(vendorDb.jdbi(), releases, new ActivationService(vendorDb.jdbi(), releases, clock),
                    HttpAnomalyModel.NAME);
            HttpAnomalyLearning vendor = new HttpAnomalyLearning(new ModelStore(vendorDir, HttpAnomalyModel.NAME), vendorVersions,
                    HttpAnomalyLearning.Settings.defaults(), Optional.empty(), clock);
            vendor.train(List.of(traffic("vendor-" + name + ".txt", 29, routes)), TrafficFormat.CSIC, List.of());
            return vendorVersions.load(vendorVersions.active().orElseThrow()).toBytes();
        }
    }

    private static byte[] withManifest(byte[] artifact, String field, Object value) throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(artifact);
        ((ObjectNode) tree.get("manifest")).putPOJO(field, value);
        return JSON.writeValueAsBytes(tree);
    }

    /** The same bytes but for the threshold's first digit, made 9: as long as the signed file, so only its hash tells. */
    private static String raisedThreshold(byte[] artifact) {
        String text = new String(artifact, StandardCharsets.UTF_8);
        int digit = text.indexOf("\"threshold\":") + "\"threshold\":".length();
        assertThat(Character.isDigit(text.charAt(digit)) && text.charAt(digit) != '9').isTrue();
        return text.substring(0, digit) + '9' + text.substring(digit + 1);
    }

    private List<EventType> events() {
        return activations.events().after(0, 1_000).stream().map(Event::type).toList();
    }

    private String activeRelease() {
        return versions.active().orElseThrow().release();
    }

    @Test
    void aDirectoryOffersAVersionThatPassesTheGateAndGoesLiveWhileIncompatibleOnesAreRefusedWithTheirReason() throws Exception {
        String local = activeRelease();
        Path offered = Files.createDirectories(directory.resolve("offered"));
        byte[] vendor = vendorArtifact("a", List.of("item", "search", "register", "cart"));
        Files.write(offered.resolve("http-anomaly-2.json"), vendor);
        Files.write(offered.resolve("future-schema.json"), withManifest(vendor, "feature_schema", 99));
        Files.write(offered.resolve("future-engine.json"), withManifest(vendor, "engine_version", 99));
        Files.write(offered.resolve("other-model.json"), withManifest(vendor, "name", "spam-filter"));
        Files.writeString(offered.resolve("truncated.json"), new String(vendor, StandardCharsets.UTF_8).substring(0, 200));
        Files.writeString(offered.resolve("README.md"), "not an artifact, not even looked at");
        sources.add(new LocalDirectorySource("shared", offered, SourceSettings.defaults()));

        List<ModelSources.Pulled> pulled = sources.pull();

        ModelSources.Pulled shared = pulled.getFirst();
        assertThat(shared.status()).isEqualTo(ModelSources.Status.CHANGED);
        assertThat(shared.offers()).extracting(ModelSources.Offer::path).containsExactly("future-engine.json", "future-schema.json",
                "http-anomaly-2.json", "other-model.json", "truncated.json");
        assertThat(offer(shared, "future-schema.json").reason()).contains("needs feature schema 99");
        assertThat(offer(shared, "future-engine.json").reason()).contains("needs model engine 99").contains("upgrade Freshet");
        assertThat(offer(shared, "other-model.json").reason()).contains("model 'spam-filter'");
        assertThat(offer(shared, "truncated.json").reason()).contains("not a model artifact");
        assertThat(pulled.getFirst().offers()).filteredOn(offer -> offer.reason() != null)
                .allSatisfy(offer -> assertThat(offer.version()).isEmpty());

        ModelVersion adopted = offer(shared, "http-anomaly-2.json").version().orElseThrow();
        assertThat(adopted.passed()).as(adopted.reasons().toString()).isTrue();
        assertThat(adopted.provenance()).containsEntry("source", "shared").containsEntry("source_file", "http-anomaly-2.json")
                .containsEntry("source_sha256", dev.freshet.engine.hash.Sha256.hex(vendor));
        assertThat(adopted.evaluation()).containsKeys("validation_fpr", "active_validation_fpr");
        assertThat(activeRelease()).isEqualTo(adopted.release()).isNotEqualTo(local);
        assertThat(events()).contains(EventType.MODEL_RELEASED)
                .filteredOn(EventType.MODEL_REFUSED::equals).hasSize(4);

        // Nothing new: the directory's content revision is unchanged, and nothing is gated or released again.
        assertThat(sources.pull()).singleElement().extracting(ModelSources.Pulled::status).isEqualTo(ModelSources.Status.UNCHANGED);
        // A new file beside the known one: the known one is recognised by its SHA-256, not released twice.
        Files.writeString(offered.resolve("notes.txt"), "ignored");
        Files.write(offered.resolve("copy-of-2.json"), vendor);
        ModelSources.Pulled again = sources.pull().getFirst();
        assertThat(offer(again, "copy-of-2.json").known()).isTrue();
        assertThat(versions.list()).hasSize(2);
    }

    @Test
    void aVersionThatFailsTheGateIsStoredWithItsReasonsAndNeverActivated() throws Exception {
        String local = activeRelease();
        Path offered = Files.createDirectories(directory.resolve("offered"));
        // A threshold below every score: it would flag all benign traffic.
        Files.write(offered.resolve("noisy.json"), withManifest(vendorArtifact("b", List.of("item", "search", "register")), "threshold", -1));
        sources.add(new LocalDirectorySource("noisy", offered, SourceSettings.defaults()));

        ModelSources.Offer offer = sources.pull().getFirst().offers().getFirst();

        ModelVersion failed = offer.version().orElseThrow();
        assertThat(failed.passed()).isFalse();
        assertThat(failed.reasons()).anySatisfy(reason -> assertThat(reason).contains("false-positive rate 1.0"));
        assertThat(activeRelease()).isEqualTo(local);
        assertThat(events()).contains(EventType.MODEL_REJECTED);
    }

    @Test
    void aSignedRepositoryIsVerifiedAndATamperedOrIncompatibleVersionNeverGoesLive() throws Exception {
        TufRepositoryWriter repo = TufRepositoryWriter.init(directory.resolve("repo"), directory.resolve("keys"),
                TufRepositoryWriter.Settings.defaults());
        byte[] first = vendorArtifact("c", List.of("item", "search", "register", "cart"));
        repo.add("http-anomaly/v1.json", first);
        repo.sign();
        repo.publish();
        Path trustedRoot = Files.copy(repo.publishedDir().resolve("root.json"), directory.resolve("trusted-root.json"));
        try (RepoServer server = new RepoServer(repo.publishedDir())) {
            sources.add(new SignedRepositorySource("vendor", server.base().toURL(), trustedRoot, SourceSettings.defaults()));

            ModelSources.Pulled pulled = sources.pull().getFirst();
            assertThat(pulled.status()).isEqualTo(ModelSources.Status.CHANGED);
            assertThat(pulled.revision()).startsWith("targets-v");
            ModelVersion v1 = pulled.offers().getFirst().version().orElseThrow();
            assertThat(v1.passed()).as(v1.reasons().toString()).isTrue();
            assertThat(activeRelease()).isEqualTo(v1.release());

            // The vendor signs a second version; a mirror swaps its bytes for other ones after signing.
            byte[] second = vendorArtifact("d", List.of("item", "search", "register", "cart"));
            repo.add("http-anomaly/v2.json", second);
            repo.sign();
            repo.publish();
            Files.writeString(repo.publishedDir().resolve("targets/http-anomaly/v2.json"), raisedThreshold(second));
            ModelSources.Pulled tampered = sources.pull().getFirst();
            assertThat(tampered.status()).isEqualTo(ModelSources.Status.FAILED);
            assertThat(tampered.error()).contains("v2.json").contains("SHA-256");
            assertThat(versions.list()).hasSize(2);
            assertThat(activeRelease()).isEqualTo(v1.release());
            assertThat(registry.find("vendor").orElseThrow().lastError()).isPresent();
            assertThat(events()).contains(EventType.SOURCE_REFUSED);

            // Signed properly, but for an engine this one is not: verified, then refused with the reason.
            repo.add("http-anomaly/v2.json", withManifest(second, "engine_version", 7));
            repo.sign();
            repo.publish();
            ModelSources.Pulled incompatible = sources.pull().getFirst();
            assertThat(incompatible.status()).isEqualTo(ModelSources.Status.CHANGED);
            assertThat(incompatible.offers()).filteredOn(offer -> offer.path().endsWith("v2.json")).singleElement()
                    .satisfies(offer -> assertThat(offer.reason()).contains("needs model engine 7"));
            assertThat(offer(incompatible, "http-anomaly/v1.json").known()).isTrue();
            assertThat(versions.list()).hasSize(2);
            assertThat(activeRelease()).isEqualTo(v1.release());
            assertThat(registry.find("vendor").orElseThrow().lastError()).isEmpty();
        }
    }

    @Test
    void modelSourcesAreDirectoriesOrSignedRepositoriesAndStayOutOfRuleChecks() throws Exception {
        assertThatThrownBy(() -> sources.add(new GitSource("git-models", "https://example.com/models.git", "main", List.of(), Set.of(),
                SourceSettings.defaults()))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("can only hold rules");
        assertThat(registry.find("git-models")).isEmpty();
        sources.add(new LocalDirectorySource("models-dir", Files.createDirectories(directory.resolve("empty")), SourceSettings.defaults()));
        assertThat(sources.list()).extracting(entry -> entry.source().name()).containsExactly("models-dir");
        assertThat(registry.list()).as("the rule sources the updater checks").isEmpty();
        assertThat(registry.list(TRACK)).hasSize(1);
        assertThatThrownBy(() -> registry.add(new LocalDirectorySource("models-dir", directory, SourceSettings.defaults())))
                .hasMessageContaining("already exists");
    }

    private static ModelSources.Offer offer(ModelSources.Pulled pulled, String path) {
        return pulled.offers().stream().filter(offer -> offer.path().equals(path)).findFirst().orElseThrow();
    }
}

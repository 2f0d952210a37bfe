package dev.freshet.updates.learning;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.gate.AcceptedRule;
import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseException;
import dev.freshet.updates.release.ReleaseNotes;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.release.Track;
import dev.freshet.updates.release.Trigger;
import dev.freshet.updates.rollout.ActivationService;
import dev.freshet.updates.rollout.Rollout;
import dev.freshet.updates.rollout.RolloutPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's versions as releases on its track {@code models/<name>}, in the one release store: the
 * artifact is the release's one item (a blob addressed by its SHA-256), the notes hold its
 * evaluation figures, training provenance and, for a version its gate failed, the reasons (it is
 * kept and never activated). Every version needs the feature schema it was built on: a release of
 * {@link #FEATURES}, made and activated here when the engine's schema has none yet. Activation,
 * rollback, history, diff and rollouts are those of every track.
 */
public final class ModelReleases {
    private static final Logger LOG = LoggerFactory.getLogger(ModelReleases.class);
    /** The track of the feature schemas HTTP models are built on. */
    public static final Track FEATURES = Track.of("features/http");
    private static final ObjectMapper INDEX = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Jdbi jdbi;
    private final ReleaseStore releases;
    private final ActivationService activations;
    private final String name;
    private final Track track;

    public ModelReleases(Jdbi jdbi, ReleaseStore releases, ActivationService activations, String name) {
        this.jdbi = jdbi;
        this.releases = releases;
        this.activations = activations;
        this.name = name;
        this.track = Track.model(name);
    }

    public Track track() {
        return track;
    }

    public String name() {
        return name;
    }

    /**
     * Releases the artifact on the track, with the gate's {@code refusals} (empty: it passed), and
     * appends {@link EventType#MODEL_RELEASED} or {@link EventType#MODEL_REJECTED} in the same
     * transaction. The same artifact released twice is one release and one event.
     */
    public ModelVersion add(ModelArtifact artifact, String source, List<String> refusals) {
        String text = new String(artifact.toBytes(), StandardCharsets.UTF_8);
        AcceptedRule item = new AcceptedRule(name, source, name + ".json", text, Sha256.hex(text));
        ModelArtifact.Manifest manifest = artifact.manifest();
        Map<String, Object> evaluation = new LinkedHashMap<>(manifest.evaluation());
        evaluation.put(ModelVersion.THRESHOLD, manifest.threshold());
        Map<String, Object> provenance = new LinkedHashMap<>(manifest.provenance());
        provenance.put(ModelVersion.PARENT, manifest.parent());
        if (manifest.created() != null) {
            provenance.put(ModelVersion.MADE, manifest.created());
        }
        provenance.put("feature_schema", manifest.featureSchema());
        provenance.put("engine_version", manifest.engineVersion());
        ReleaseNotes notes = new ReleaseNotes(refusals, evaluation, provenance);
        Verdict verdict = new Verdict(name, source, item.path(), refusals.isEmpty() ? Verdict.Outcome.ACCEPTED : Verdict.Outcome.REJECTED,
                refusals.isEmpty() ? "passed the model gate" : String.join("; ", refusals));
        Release release = jdbi.inTransaction(h -> {
            String features = liveFeatures(h, manifest.featureSchema());
            boolean known = ReleaseStore.find(h, Release.idOf(track, List.of(item))).isPresent();
            Release made = releases.create(h, track, List.of(item), new GateReport(List.of(verdict)), Map.of(FEATURES.name(), features), notes);
            if (!known) {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("track", track.name());
                payload.put("artifact", item.sha256());
                payload.put("evaluation", evaluation);
                if (!refusals.isEmpty()) {
                    payload.put("reasons", refusals);
                }
                EventLog.append(h, made.createdAt(), refusals.isEmpty() ? EventType.MODEL_RELEASED : EventType.MODEL_REJECTED,
                        made.id(), made.parentId(), payload);
            }
            return made;
        });
        return ModelVersion.of(release);
    }

    /**
     * The release of {@link #FEATURES} describing feature schema {@code schema}, stored and made live
     * if it is not yet: a model version needs it live to be activated.
     */
    private String liveFeatures(Handle h, int schema) {
        String description = "feature schema " + schema + " of HTTP models: method, route, and per parameter (query, body, cookie,"
                + " header) its presence, order, length and character classes\n";
        AcceptedRule item = new AcceptedRule("http-features", "engine", "feature-schema-" + schema + ".txt", description,
                Sha256.hex(description));
        Release features = releases.create(h, FEATURES, List.of(item), new GateReport(List.of()), Map.of(), ReleaseNotes.NONE);
        if (!ReleaseStore.activeId(h, FEATURES).map(features.id()::equals).orElse(false)) {
            activations.activate(h, features.id(), Trigger.AUTOMATIC, "feature schema " + schema + " of this engine");
        }
        return features.id();
    }

    /** The version live now, if any. */
    public Optional<ModelVersion> active() {
        return releases.active(track).map(ModelVersion::of);
    }

    /** Every version, newest first. */
    public List<ModelVersion> list() {
        return releases.list(track).stream().map(summary -> releases.find(summary.id()).map(ModelVersion::of).orElseThrow()).toList();
    }

    /** The version with this release id, or artifact digest, or a unique prefix of either. */
    public ModelVersion find(String idOrDigest) {
        try {
            Optional<Release> release = releases.find(idOrDigest).filter(r -> r.track().equals(track));
            if (release.isPresent()) {
                return ModelVersion.of(release.get());
            }
        } catch (ReleaseException e) {
            // a prefix that fits several releases may still fit one artifact
        }
        List<ModelVersion> matches = list().stream().filter(v -> v.digest().startsWith(idOrDigest)).toList();
        if (matches.size() != 1) {
            throw new ReleaseException(matches.isEmpty() ? "No version '" + idOrDigest + "' of model " + name + " (see 'freshet models list "
                    + name + "')." : "'" + idOrDigest + "' fits " + matches.size() + " versions of " + name + "; give more of the id.");
        }
        return matches.getFirst();
    }

    /** The version's artifact, checked against its SHA-256 and refused if this engine cannot use it. */
    public ModelArtifact load(ModelVersion version) throws IncompatibleModelException {
        return artifact(releases.find(version.release()).orElseThrow(() -> new ReleaseException("No release '" + version.release() + "'.")));
    }

    /** The artifact a release of a model track holds. */
    public static ModelArtifact artifact(Release release) throws IncompatibleModelException {
        return ModelArtifact.fromBytes(bytes(release));
    }

    /** The version's artifact exactly as stored, checked against its SHA-256 (to hand on to another Freshet). */
    public byte[] bytes(ModelVersion version) throws IncompatibleModelException {
        return bytes(releases.find(version.release()).orElseThrow(() -> new ReleaseException("No release '" + version.release() + "'.")));
    }

    private static byte[] bytes(Release release) throws IncompatibleModelException {
        if (!release.track().isModel() || release.rules().size() != 1) {
            throw new IncompatibleModelException("release " + ReleaseStore.shortId(release.id()) + " of " + release.track()
                    + " holds no model artifact");
        }
        AcceptedRule item = release.rules().getFirst();
        byte[] bytes = item.yaml().getBytes(StandardCharsets.UTF_8);
        if (!ModelArtifact.digest(bytes).equals(item.sha256())) {
            throw new IncompatibleModelException("artifact of release " + ReleaseStore.shortId(release.id()) + " does not match its SHA-256");
        }
        return bytes;
    }

    /**
     * Makes a passed version live: through a rollout when a plan is given and another version is
     * live, at once otherwise. Returns the rollout started, if any.
     */
    public Optional<Rollout> promote(ModelVersion version, Optional<RolloutPlan> plan, String reason) {
        return activations.rollouts().start(version.release(), plan, reason);
    }

    /** Keeps the newest {@code keep} versions and whatever history, rollouts or feedback refer to; deletes the rest. */
    public List<String> collect(int keep) {
        return releases.collect(track, keep);
    }

    /** The file index of the versions kept before model versions were releases. */
    private record FileIndex(String active, List<FileVersion> versions) {
    }

    private record FileVersion(String digest, boolean passed, List<String> reasons) {
    }

    /**
     * Moves the versions a store of model files holds ({@code index.json} and the artifacts under
     * {@code versions/}, as Freshet kept them before model tracks) into releases on the track, in
     * their order, with their gate outcome, and activates the one the index named active. The index
     * is then renamed {@code index.json.imported}; the artifact files stay. An artifact that is
     * missing or does not match its SHA-256 is left out and reported. Returns what was left out.
     */
    public List<String> importFiles(Path directory) throws IOException {
        Path indexFile = directory.resolve("index.json");
        if (!Files.exists(indexFile)) {
            return List.of();
        }
        FileIndex index = INDEX.readValue(indexFile.toFile(), FileIndex.class);
        List<String> leftOut = new ArrayList<>();
        Optional<ModelVersion> toActivate = Optional.empty();
        for (FileVersion file : index.versions() == null ? List.<FileVersion>of() : index.versions()) {
            Path artifactFile = directory.resolve("versions").resolve(file.digest() + ".json");
            try {
                byte[] bytes = Files.readAllBytes(artifactFile);
                if (!ModelArtifact.digest(bytes).equals(file.digest())) {
                    throw new IncompatibleModelException("it does not match its SHA-256");
                }
                ModelVersion version = add(ModelArtifact.fromBytes(bytes), "import", file.passed() ? List.of()
                        : file.reasons() == null || file.reasons().isEmpty() ? List.of("failed its gate before the import") : file.reasons());
                if (file.digest().equals(index.active())) {
                    toActivate = Optional.of(version);
                }
            } catch (IOException | IncompatibleModelException e) {
                leftOut.add(artifactFile + ": " + e.getMessage());
            }
        }
        if (toActivate.isPresent() && active().isEmpty()) {
            activations.activate(toActivate.get().release(), Trigger.AUTOMATIC, "imported from " + indexFile);
        }
        Files.move(indexFile, directory.resolve("index.json.imported"), StandardCopyOption.REPLACE_EXISTING);
        LOG.info("imported {} model versions of {} from {} into track {}{}", index.versions() == null ? 0 : index.versions().size(), name,
                indexFile, track, leftOut.isEmpty() ? "" : "; left out: " + leftOut);
        return leftOut;
    }
}

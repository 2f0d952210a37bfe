package dev.freshet.updates.learning;

import dev.freshet.engine.hash.Sha256;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.engine.models.ModelArtifact;
import dev.freshet.updates.events.EventLog;
import dev.freshet.updates.events.EventType;
import dev.freshet.updates.sources.FetchResult;
import dev.freshet.updates.sources.FileSelection;
import dev.freshet.updates.sources.RuleSource;
import dev.freshet.updates.sources.SourceException;
import dev.freshet.updates.sources.SourceFetchers;
import dev.freshet.updates.sources.SourceFile;
import dev.freshet.updates.sources.SourceRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions from outside, as the original design's model updater downloads them: sources of
 * a model's track (a directory, or a signed repository verified by the TUF client exactly as rule
 * sources are) offer artifacts; each new one is read (an artifact of another model, feature schema
 * or a newer engine is refused with the reason and an event), then goes through the same gate as
 * a trained version and is released on the track with the source named. Only a version that passed
 * is rolled out, the newest one a pull brought. A source that fails verification changes nothing.
 */
public final class ModelSources {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSources.class);

    /** What one source offered in one pull. */
    public record Pulled(String source, Status status, String revision, List<Offer> offers, String error) {
    }

    public enum Status { UNCHANGED, CHANGED, FAILED }

    /**
     * One artifact a source offered: released (with the gate's outcome in {@code version}), already
     * released before, or refused before any release ({@code reason}).
     */
    public record Offer(String path, String sha256, Optional<ModelVersion> version, boolean known, String reason) {
    }

    private final SourceRegistry registry;
    private final SourceFetchers fetchers;
    private final ModelReleases versions;
    private final HttpAnomalyLearning learning;
    private final EventLog events;
    private final Clock clock;

    public ModelSources(SourceRegistry registry, SourceFetchers fetchers, ModelReleases versions, HttpAnomalyLearning learning,
                        EventLog events, Clock clock) {
        this.registry = registry;
        this.fetchers = fetchers;
        this.versions = versions;
        this.learning = learning;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Adds a source of this model's versions.
     *
     * @throws IllegalArgumentException for a kind of source that cannot hold models, or a name in use
     */
    public void add(RuleSource source) {
        fetchers.fetcherFor(source, FileSelection.MODEL_ARTIFACTS); // refuses git and advisory sources
        registry.add(source, versions.track());
    }

    public List<SourceRegistry.Entry> list() {
        return registry.list(versions.track());
    }

    /** Checks every enabled source of the track; the newest version that passed its gate is rolled out. */
    public List<Pulled> pull() throws IOException {
        List<Pulled> pulled = new ArrayList<>();
        List<ModelVersion> passed = new ArrayList<>();
        for (SourceRegistry.Entry entry : list()) {
            if (entry.source().settings().enabled()) {
                pulled.add(pull(entry, passed));
            }
        }
        passed.stream().max(Comparator.comparing(ModelVersion::created)).ifPresent(newest -> learning.promote(newest,
                "model version " + newest.shortDigest() + " from source " + newest.provenance().get("source") + " passed its gate"));
        return pulled;
    }

    private Pulled pull(SourceRegistry.Entry entry, List<ModelVersion> passed) throws IOException {
        String name = entry.source().name();
        FetchResult result;
        try {
            result = fetchers.fetcherFor(entry.source(), FileSelection.MODEL_ARTIFACTS).fetch(entry.lastRevision());
        } catch (SourceException e) {
            registry.recordCheck(name, Optional.empty(), Optional.of(e.getMessage()));
            refused(EventType.SOURCE_REFUSED, name, null, e.getMessage());
            LOG.warn("model source {} refused: {}", name, e.getMessage());
            return new Pulled(name, Status.FAILED, entry.lastRevision().orElse(null), List.of(), e.getMessage());
        }
        if (result instanceof FetchResult.Unchanged) {
            registry.recordCheck(name, Optional.of(result.revision()), Optional.empty());
            return new Pulled(name, Status.UNCHANGED, result.revision(), List.of(), null);
        }
        List<Offer> offers = new ArrayList<>();
        for (SourceFile file : ((FetchResult.Changed) result).snapshot().files()) {
            offers.add(offer(name, result.revision(), file, passed));
        }
        registry.recordCheck(name, Optional.of(result.revision()), Optional.empty());
        return new Pulled(name, Status.CHANGED, result.revision(), offers, null);
    }

    private Offer offer(String source, String revision, SourceFile file, List<ModelVersion> passed) throws IOException {
        String sha256 = Sha256.hex(file.content());
        ModelArtifact artifact;
        try {
            artifact = ModelArtifact.fromBytes(file.content());
        } catch (IncompatibleModelException e) {
            refused(EventType.MODEL_REFUSED, source, file.path(), e.getMessage());
            LOG.warn("model source {}: {} refused: {}", source, file.path(), e.getMessage());
            return new Offer(file.path(), sha256, Optional.empty(), false, e.getMessage());
        }
        Optional<ModelVersion> known = versions.list().stream().filter(v -> sha256.equals(v.provenance().get("source_sha256"))).findFirst();
        if (known.isPresent()) {
            return new Offer(file.path(), sha256, known, true, null);
        }
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("source", source);
        origin.put("source_file", file.path());
        origin.put("source_revision", revision);
        origin.put("source_sha256", sha256);
        ModelVersion version = learning.adopt(artifact, source, origin).version().orElseThrow();
        if (version.passed()) {
            passed.add(version);
        }
        return new Offer(file.path(), sha256, Optional.of(version), false, version.passed() ? null : String.join("; ", version.reasons()));
    }

    private void refused(EventType type, String source, String path, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("track", versions.track().name());
        payload.put("source", source);
        if (path != null) {
            payload.put("file", path);
        }
        payload.put("reason", reason);
        events.append(clock.instant(), type, null, payload);
    }
}

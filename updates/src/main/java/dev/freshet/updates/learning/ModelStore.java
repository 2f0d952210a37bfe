package dev.freshet.updates.learning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.IncompatibleModelException;
import dev.freshet.engine.models.ModelArtifact;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Model versions as files until knowledge tracks hold them: under {@code <data-dir>/models/<name>/},
 * {@code versions/<sha256>.json} (the artifacts), {@code index.json} (the versions and which is
 * active), the benign validation set, the attack payloads the guard checks, the log cursors and
 * the quarantine. Every file is written to a temporary file and moved into place.
 */
public final class ModelStore {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    /** One line per value in the line files. */
    private static final ObjectMapper COMPACT = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /** The index: every version, oldest first, and the active one's digest (empty: none). */
    public record Index(String active, List<ModelVersion> versions) {
        public Index {
            active = active == null ? "" : active;
            versions = versions == null ? List.of() : List.copyOf(versions);
        }
    }

    private final Path directory;

    public ModelStore(Path dataDir, String modelName) {
        this.directory = dataDir.resolve("models").resolve(modelName);
    }

    public Path directory() {
        return directory;
    }

    public Index index() throws IOException {
        Path file = directory.resolve("index.json");
        return Files.exists(file) ? JSON.readValue(file.toFile(), Index.class) : new Index("", List.of());
    }

    public Optional<ModelVersion> active() throws IOException {
        Index index = index();
        return index.versions().stream().filter(version -> version.digest().equals(index.active())).findFirst();
    }

    /** Finds a version by its digest or a unique prefix of it. */
    public ModelVersion find(String digestPrefix) throws IOException {
        List<ModelVersion> matches = index().versions().stream().filter(v -> v.digest().startsWith(digestPrefix)).toList();
        if (matches.size() != 1) {
            throw new IOException(matches.isEmpty() ? "no model version " + digestPrefix + " (see 'freshet models list')"
                    : "'" + digestPrefix + "' names " + matches.size() + " versions; give more of the digest");
        }
        return matches.getFirst();
    }

    public ModelArtifact load(ModelVersion version) throws IOException, IncompatibleModelException {
        byte[] bytes = Files.readAllBytes(artifactFile(version.digest()));
        if (!ModelArtifact.digest(bytes).equals(version.digest())) {
            throw new IncompatibleModelException("artifact " + version.shortDigest() + " does not match its SHA-256 (changed on disk)");
        }
        return ModelArtifact.fromBytes(bytes);
    }

    /** Stores {@code artifact} and records it; activates it when {@code activate}. */
    public ModelVersion add(ModelArtifact artifact, boolean passed, List<String> reasons, boolean activate) throws IOException {
        byte[] bytes = artifact.toBytes();
        String digest = ModelArtifact.digest(bytes);
        writeAtomically(artifactFile(digest), bytes);
        ModelArtifact.Manifest manifest = artifact.manifest();
        ModelVersion version = new ModelVersion(digest, manifest.parent(), manifest.created(), passed, reasons, manifest.threshold(),
                manifest.provenance(), manifest.evaluation());
        Index index = index();
        List<ModelVersion> versions = new ArrayList<>(index.versions().stream().filter(v -> !v.digest().equals(digest)).toList());
        versions.add(version);
        writeIndex(new Index(activate ? digest : index.active(), versions));
        return version;
    }

    public void activate(ModelVersion version) throws IOException {
        writeIndex(new Index(version.digest(), index().versions()));
    }

    private void writeIndex(Index index) throws IOException {
        writeAtomically(directory.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private Path artifactFile(String digest) {
        return directory.resolve("versions").resolve(digest + ".json");
    }

    public List<HttpRequest> validation() throws IOException {
        return readLines(directory.resolve("validation.jsonl.gz"), HttpRequest.class);
    }

    public void saveValidation(List<HttpRequest> requests) throws IOException {
        writeLines(directory.resolve("validation.jsonl.gz"), requests);
    }

    public List<String> attackPayloads() throws IOException {
        return readLines(directory.resolve("attacks.jsonl.gz"), String.class);
    }

    public void saveAttackPayloads(List<String> payloads) throws IOException {
        writeLines(directory.resolve("attacks.jsonl.gz"), payloads);
    }

    public Map<String, TrafficFiles.Cursor> cursors() throws IOException {
        Path file = directory.resolve("cursors.json");
        return Files.exists(file) ? JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, TrafficFiles.Cursor>>() { })
                : new LinkedHashMap<>();
    }

    public void saveCursors(Map<String, TrafficFiles.Cursor> cursors) throws IOException {
        writeAtomically(directory.resolve("cursors.json"), JSON.writeValueAsBytes(cursors));
    }

    /** Appends quarantined requests (reason, client, method, path, detail) to {@code quarantine.jsonl}. */
    public void appendQuarantine(List<AdmissionGuard.Quarantined> quarantined) throws IOException {
        Files.createDirectories(directory);
        try (BufferedWriter out = Files.newBufferedWriter(directory.resolve("quarantine.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (AdmissionGuard.Quarantined entry : quarantined) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("reason", entry.reason().name().toLowerCase(Locale.ROOT));
                line.put("client", entry.record().client());
                line.put("status", entry.record().status());
                line.put("method", entry.record().request().method());
                line.put("path", entry.record().request().path());
                line.put("detail", entry.detail());
                out.write(COMPACT.writeValueAsString(line));
                out.newLine();
            }
        }
    }

    private <T> List<T> readLines(Path file, Class<T> type) throws IOException {
        List<T> values = new ArrayList<>();
        if (!Files.exists(file)) {
            return values;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                values.add(JSON.readValue(line, type));
            }
        }
        return values;
    }

    private void writeLines(Path file, List<?> values) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(temporary)), StandardCharsets.UTF_8))) {
            for (Object value : values) {
                out.write(COMPACT.writeValueAsString(value));
                out.newLine();
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

package dev.freshet.updates.learning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.engine.models.HttpRequest;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.io.BufferedWriter;
import java.io.IOException;
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
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A model's learning data as files under {@code <data-dir>/models/<name>/}: the benign validation
 * set, the attack payloads the guard and the gate check, the log cursors and the quarantine. The
 * versions themselves are releases ({@link ModelReleases}). Every file is written to a temporary
 * file and moved into place.
 */
public final class ModelStore {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    /** One line per value in the line files. */
    private static final ObjectMapper COMPACT = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private final Path directory;

    public ModelStore(Path dataDir, String modelName) {
        this.directory = dataDir.resolve("models").resolve(modelName);
    }

    public Path directory() {
        return directory;
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

    /** Attacks operators reported a version let through: part of the attack validation set from then on. */
    public List<HttpRequest> reportedAttacks() throws IOException {
        return readLines(directory.resolve("reported-attacks.jsonl.gz"), HttpRequest.class);
    }

    public void saveReportedAttacks(List<HttpRequest> requests) throws IOException {
        writeLines(directory.resolve("reported-attacks.jsonl.gz"), requests);
    }

    public Map<String, TrafficFiles.Cursor> cursors() throws IOException {
        Path file = directory.resolve("cursors.json");
        return Files.exists(file) ? JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, TrafficFiles.Cursor>>() { })
                : new LinkedHashMap<>();
    }

    public void saveCursors(Map<String, TrafficFiles.Cursor> cursors) throws IOException {
        writeAtomically(directory.resolve("cursors.json"), JSON.writeValueAsBytes(cursors));
    }

    /** The last operator report (model feedback id) a learning run took in; 0 before the first. */
    public long feedbackCursor() throws IOException {
        Path file = directory.resolve("feedback-cursor.json");
        return Files.exists(file) ? JSON.readValue(file.toFile(), Long.class) : 0;
    }

    public void saveFeedbackCursor(long id) throws IOException {
        writeAtomically(directory.resolve("feedback-cursor.json"), JSON.writeValueAsBytes(id));
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
        // One reader over the whole stream: parsing line by line with a fresh parser each time costs several times more.
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
             MappingIterator<T> lines = JSON.readerFor(type).readValues(in)) {
            while (lines.hasNext()) {
                values.add(lines.next());
            }
        }
        return values;
    }

    private void writeLines(Path file, List<?> values) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        // The fastest compression level: these files are rewritten on every learning run, whose time counts.
        try (OutputStream out = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(temporary), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }, 1 << 16); SequenceWriter writer = COMPACT.writer().withRootValueSeparator("\n").writeValues(out)) {
            for (Object value : values) {
                writer.write(value);
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

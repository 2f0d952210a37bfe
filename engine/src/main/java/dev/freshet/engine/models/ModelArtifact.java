package dev.freshet.engine.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A self-describing model version: a manifest (what it is, what engine and feature schema it
 * needs, its parent, how it was trained and how it scored) and the model. Its identity is the
 * SHA-256 of its bytes, so the same artifact has the same name wherever it is stored.
 */
public record ModelArtifact(Manifest manifest, HttpAnomalyModel model) {
    public static final String FORMAT = "freshet-model";
    /** The version of the features and profiles this engine reads and writes; artifacts must match it. */
    public static final int FEATURE_SCHEMA = 1;
    /** The version of the scoring code; an artifact may require at most this one. */
    public static final int ENGINE_VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /**
     * What an artifact says about itself. {@code parent} is the digest of the version it was
     * fine-tuned from (empty for a first version); {@code provenance} and {@code evaluation} hold
     * the training counts and the validation figures.
     */
    public record Manifest(String format, String name, int featureSchema, int engineVersion, String parent, String created,
                           double threshold, double targetFalsePositiveRate, Map<String, Object> provenance,
                           Map<String, Object> evaluation) {
        public Manifest {
            Objects.requireNonNull(name);
            parent = parent == null ? "" : parent;
            provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
            evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
        }

        public static Manifest of(String parent, String created, double threshold, double targetFalsePositiveRate,
                                  Map<String, Object> provenance, Map<String, Object> evaluation) {
            return new Manifest(FORMAT, HttpAnomalyModel.NAME, FEATURE_SCHEMA, ENGINE_VERSION, parent, created, threshold,
                    targetFalsePositiveRate, provenance, evaluation);
        }
    }

    private record Document(Manifest manifest, ProfileSet profiles) {
    }

    /** The artifact's bytes: canonical JSON of the manifest and the profiles. */
    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(new Document(manifest, model.profiles()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a model artifact", e);
        }
    }

    /** Reads an artifact, refusing one this engine cannot use. */
    public static ModelArtifact fromBytes(byte[] bytes) throws IncompatibleModelException {
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IncompatibleModelException("not a model artifact (unreadable JSON: " + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        JsonNode manifest = tree == null ? null : tree.get("manifest");
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw new IncompatibleModelException("not a model artifact (no '" + FORMAT + "' manifest)");
        }
        if (!HttpAnomalyModel.NAME.equals(manifest.path("name").asText())) {
            throw new IncompatibleModelException("an artifact of model '" + manifest.path("name").asText() + "', not " + HttpAnomalyModel.NAME);
        }
        int schema = manifest.path("feature_schema").asInt(-1);
        if (schema != FEATURE_SCHEMA) {
            throw new IncompatibleModelException("needs feature schema " + schema + ", this engine reads schema " + FEATURE_SCHEMA
                    + " (retrain it with this Freshet, or use a Freshet that reads that schema)");
        }
        int engine = manifest.path("engine_version").asInt(Integer.MAX_VALUE);
        if (engine > ENGINE_VERSION) {
            throw new IncompatibleModelException("needs model engine " + engine + ", this is engine " + ENGINE_VERSION + " (upgrade Freshet)");
        }
        try {
            Document document = JSON.treeToValue(tree, Document.class);
            if (document.profiles() == null) {
                throw new IncompatibleModelException("artifact has no profiles");
            }
            return new ModelArtifact(document.manifest(), new HttpAnomalyModel(document.profiles(), document.manifest().threshold()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IncompatibleModelException("malformed model artifact: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    public static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

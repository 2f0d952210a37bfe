package dev.freshet.updates.learning;

import java.util.List;
import java.util.Map;

/**
 * One stored version of a model, as a release on the track {@code models/<name>} will record it:
 * the artifact's SHA-256, its parent, when it was made, whether the gate passed it (and why not),
 * its threshold, training provenance and evaluation figures.
 */
public record ModelVersion(String digest, String parent, String created, boolean passed, List<String> reasons,
                           double threshold, Map<String, Object> provenance, Map<String, Object> evaluation) {
    public ModelVersion {
        parent = parent == null ? "" : parent;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
    }

    public String shortDigest() {
        return digest.substring(0, 12);
    }
}

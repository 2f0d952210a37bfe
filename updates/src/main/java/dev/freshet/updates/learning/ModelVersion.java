package dev.freshet.updates.learning;

import dev.freshet.updates.release.Release;
import dev.freshet.updates.release.ReleaseNotes;
import java.util.List;
import java.util.Map;

/**
 * One version of a model as its release on {@code models/<name>} records it: the release, the
 * artifact's SHA-256, the artifact it was fine-tuned from, when it was made, whether the gate
 * passed it (and why not), its threshold, training provenance and evaluation figures.
 *
 * @param parent the digest of the artifact it was fine-tuned from, empty for a first version
 */
public record ModelVersion(String release, String digest, String parent, String created, boolean passed, List<String> reasons,
                           double threshold, Map<String, Object> provenance, Map<String, Object> evaluation) {
    /** Where the notes keep what the artifact's manifest says about its lineage and calibration. */
    static final String PARENT = "parent_artifact";
    static final String THRESHOLD = "threshold";
    /** When the artifact was trained, as its manifest says: an imported or downloaded version was made before its release. */
    static final String MADE = "artifact_created";

    public ModelVersion {
        parent = parent == null ? "" : parent;
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
    }

    /** The version a model release is: its one item is the artifact. */
    static ModelVersion of(Release release) {
        ReleaseNotes notes = release.notes();
        Object threshold = notes.evaluation().get(THRESHOLD);
        return new ModelVersion(release.id(), release.rules().getFirst().sha256(), (String) notes.provenance().get(PARENT),
                notes.provenance().get(MADE) instanceof String made && !made.isBlank() ? made : release.createdAt().toString(),
                !notes.refused(), notes.refusals(),
                threshold instanceof Number n ? n.doubleValue() : Double.NaN, notes.provenance(), notes.evaluation());
    }

    public String shortDigest() {
        return digest.substring(0, 12);
    }

    public String shortRelease() {
        return release.substring(0, 12);
    }
}

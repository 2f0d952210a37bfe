package dev.freshet.updates.release;

import java.util.List;
import java.util.Map;

/**
 * What only some kinds of release record: a model version's evaluation figures and training
 * provenance, and the refusals of its gate. A release with refusals is kept, with its reasons, and
 * can never be activated.
 *
 * @param refusals   why the gate refused the release; empty when it passed
 * @param evaluation figures of the gate's evaluation (false-positive rate, detection rate, ...)
 * @param provenance what it was made from (sources, cursors, counts admitted and quarantined, parent)
 */
public record ReleaseNotes(List<String> refusals, Map<String, Object> evaluation, Map<String, Object> provenance) {
    public static final ReleaseNotes NONE = new ReleaseNotes(List.of(), Map.of(), Map.of());

    public ReleaseNotes {
        refusals = refusals == null ? List.of() : List.copyOf(refusals);
        evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }
}

package dev.freshet.updates.release;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What only some kinds of release record: a model version's evaluation figures and training
 * provenance, and the refusals of its gate. A release with refusals is kept, with its reasons, and
 * can never be activated.
 *
 * @param refusals   why the gate refused the release; empty when it passed
 * @param evaluation figures of the gate's evaluation (false-positive rate, detection rate, ...)
 * @param provenance what it was made from (sources, cursors, counts admitted and quarantined, parent, the
 *                   evidence of a probation)
 * @param overrides  the overrides Freshet generated and released with the rules (part of the release's id)
 */
public record ReleaseNotes(List<String> refusals, Map<String, Object> evaluation, Map<String, Object> provenance,
                           List<GeneratedOverride> overrides) {
    public static final ReleaseNotes NONE = new ReleaseNotes(List.of(), Map.of(), Map.of(), List.of());

    public ReleaseNotes {
        refusals = refusals == null ? List.of() : List.copyOf(refusals);
        evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
        overrides = overrides == null ? List.of() : overrides.stream().sorted(Comparator.comparing(GeneratedOverride::ruleId)
                .thenComparingLong(GeneratedOverride::probation)).toList();
    }

    public ReleaseNotes(List<String> refusals, Map<String, Object> evaluation, Map<String, Object> provenance) {
        this(refusals, evaluation, provenance, List.of());
    }

    /** Generated overrides only, with what made them. */
    public static ReleaseNotes generated(List<GeneratedOverride> overrides, Map<String, Object> provenance) {
        return new ReleaseNotes(List.of(), Map.of(), provenance, overrides);
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }
}

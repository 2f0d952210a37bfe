package dev.freshet.updates.rollout;

import java.time.Instant;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;

/**
 * False-positive feedback as a rollout analysis metric: how often people reported the work of a
 * release wrong (per unit of work: a scan, a scored request) since an instant. Feedback lives with
 * its kind (rule feedback in the community part, model feedback with the models); the analysis
 * reads it only through this, in its own transaction. {@link #NONE} knows nothing.
 */
@FunctionalInterface
public interface FeedbackSignal {
    FeedbackSignal NONE = (h, track, releaseId, since) -> OptionalDouble.empty();

    /** Reports of false positives per unit of work of the release on the track since {@code since}; empty when unknown. */
    OptionalDouble falsePositiveRate(Handle h, String track, String releaseId, Instant since);

    /** The candidate's and stable's rates over one window. */
    record Rates(OptionalDouble candidate, OptionalDouble stable) {
        static final Rates UNKNOWN = new Rates(OptionalDouble.empty(), OptionalDouble.empty());

        /** Candidate over stable, both with one report's worth of smoothing; 0 when either is unknown. */
        double ratio() {
            if (candidate.isEmpty() || stable.isEmpty()) {
                return 0;
            }
            double floor = 1e-4;
            return (candidate.getAsDouble() + floor) / (stable.getAsDouble() + floor);
        }
    }
}

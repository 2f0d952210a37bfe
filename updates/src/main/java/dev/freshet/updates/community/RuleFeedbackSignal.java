package dev.freshet.updates.community;

import dev.freshet.updates.rollout.FeedbackSignal;
import java.time.Instant;
import java.util.OptionalDouble;
import org.jdbi.v3.core.Handle;

/**
 * Feedback on the findings of a rules release as a rollout metric: of the verdicts given on its
 * findings since an instant (true positive, false positive, won't fix), the share that call them
 * false. A candidate whose findings people reject more often than stable's fails the analysis.
 */
public final class RuleFeedbackSignal implements FeedbackSignal {
    @Override
    public OptionalDouble falsePositiveRate(Handle h, String track, String releaseId, Instant since) {
        if (!"rules".equals(track)) {
            return OptionalDouble.empty(); // a tenant's rules and models have feedback of their own
        }
        long[] counts = h.createQuery("""
                        SELECT COUNT(*), COALESCE(SUM(CASE WHEN verdict = 'FALSE_POSITIVE' THEN 1 ELSE 0 END), 0) FROM feedback
                        WHERE release_id = :release AND received_at >= :since AND verdict <> 'FALSE_NEGATIVE'""")
                .bind("release", releaseId).bind("since", since.toEpochMilli())
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        return counts[0] == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) counts[1] / counts[0]);
    }
}

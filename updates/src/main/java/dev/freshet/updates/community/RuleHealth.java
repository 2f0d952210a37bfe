package dev.freshet.updates.community;

import java.util.List;
import java.util.Map;

/**
 * What feedback says of one rule, over all releases or one. Precision is the share of its findings
 * that are right (won't-fix findings are right, just not worth fixing), estimated as a Beta posterior
 * from a uniform prior and the weighted verdicts: each verdict weighs its contributor's reputation,
 * and one tenant's verdicts on the rule together weigh at most the policy's tenant cap.
 *
 * @param counts                verdicts as given, by verdict
 * @param tenants               tenants that judged the rule's findings
 * @param evidence              the weighted verdicts on findings (true and false positives, won't fix)
 * @param precisionLow          the 90 % credible interval's lower end
 * @param probabilityBelowFloor posterior probability that precision is below the policy's floor
 * @param notUsefulRate         (false positives + won't fix) / verdicts on findings, as Tricorder measures it; null without any
 * @param trend                 per release, oldest first (empty for a one-release health)
 * @param direction             how precision moved between the two newest releases with feedback
 */
public record RuleHealth(String ruleId, String releaseId, Map<FeedbackVerdict, Integer> counts, int tenants, double evidence,
                         double precision, double precisionLow, double precisionHigh, double probabilityBelowFloor,
                         Double notUsefulRate, Status status, boolean onProbation, List<ReleasePoint> trend, Direction direction) {
    public RuleHealth {
        counts = Map.copyOf(counts);
        trend = List.copyOf(trend);
    }

    /** NOISY: confidently below the precision floor with enough evidence; GOOD: confidently above it. */
    public enum Status { UNDECIDED, GOOD, NOISY }

    public enum Direction { IMPROVING, WORSENING, STEADY, UNKNOWN }

    /** The rule's precision on one release. */
    public record ReleasePoint(String releaseId, double precision, double evidence, Double notUsefulRate) {
    }

    public int count(FeedbackVerdict verdict) {
        return counts.getOrDefault(verdict, 0);
    }
}

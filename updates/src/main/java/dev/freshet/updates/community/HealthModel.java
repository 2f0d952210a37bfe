package dev.freshet.updates.community;

import dev.freshet.updates.community.RuleHealth.Direction;
import dev.freshet.updates.community.RuleHealth.ReleasePoint;
import dev.freshet.updates.community.RuleHealth.Status;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Rule health from verdict counts: pure arithmetic over grouped feedback, with no store, so the
 * batch, the API and the benchmark compute it the same way.
 */
final class HealthModel {
    /** The credible interval reported: 90 %. */
    static final double INTERVAL = 0.90;
    /** A move of precision smaller than this between releases is steady. */
    static final double TREND_STEP = 0.05;

    /** Verdicts of one contributor of one tenant on one rule (and release), as grouped by the store. */
    record Group(String ruleId, String releaseId, String tenant, String contributor, FeedbackVerdict verdict, int count) {
    }

    private final FeedbackPolicy policy;

    HealthModel(FeedbackPolicy policy) {
        this.policy = policy;
    }

    /** The weighted evidence on a rule from its groups: per tenant capped, each contributor weighing its reputation. */
    record Evidence(double correct, double falsePositive, double wontFix, int tenants, Map<FeedbackVerdict, Integer> counts) {
        double total() {
            return correct + falsePositive + wontFix;
        }
    }

    Evidence evidence(List<Group> groups, ToDoubleFunction<String> weight) {
        Map<String, double[]> byContributor = new HashMap<>(); // true positive, false positive, won't fix
        Map<String, String> tenantOf = new HashMap<>();
        Map<FeedbackVerdict, Integer> counts = new EnumMap<>(FeedbackVerdict.class);
        Set<String> tenants = new HashSet<>();
        for (Group g : groups) {
            counts.merge(g.verdict(), g.count(), Integer::sum);
            int slot = switch (g.verdict()) {
                case TRUE_POSITIVE -> 0;
                case FALSE_POSITIVE -> 1;
                case WONT_FIX -> 2;
                case FALSE_NEGATIVE -> -1;
            };
            if (slot >= 0) {
                tenants.add(g.tenant());
                String key = g.tenant() + "\0" + g.contributor();
                tenantOf.put(key, g.tenant());
                byContributor.computeIfAbsent(key, k -> new double[3])[slot] += g.count() * weight.applyAsDouble(g.contributor());
            }
        }
        // Capped twice: one key cannot speak for its tenant, one tenant cannot speak for everyone.
        Map<String, double[]> byTenant = new HashMap<>();
        byContributor.forEach((key, w) -> {
            double[] capped = capped(w, policy.contributorCap());
            double[] tenant = byTenant.computeIfAbsent(tenantOf.get(key), t -> new double[3]);
            for (int i = 0; i < 3; i++) {
                tenant[i] += capped[i];
            }
        });
        double correct = 0;
        double falsePositive = 0;
        double wontFix = 0;
        for (double[] w : byTenant.values()) {
            double[] capped = capped(w, policy.tenantCap());
            correct += capped[0];
            falsePositive += capped[1];
            wontFix += capped[2];
        }
        return new Evidence(correct, falsePositive, wontFix, tenants.size(), counts);
    }

    /** The weights scaled down, in proportion, to at most {@code cap} in all. */
    private static double[] capped(double[] w, double cap) {
        double total = w[0] + w[1] + w[2];
        double scale = total > cap ? cap / total : 1.0;
        return new double[] {w[0] * scale, w[1] * scale, w[2] * scale};
    }

    /** Health of a rule from its groups (all of one rule); {@code trend} computed by the caller per release. */
    RuleHealth health(String ruleId, String releaseId, List<Group> groups, ToDoubleFunction<String> weight, boolean onProbation,
                      List<ReleasePoint> trend) {
        Evidence e = evidence(groups, weight);
        BetaDistribution posterior = posterior(e);
        double below = posterior.cumulativeProbability(policy.precisionFloor());
        return new RuleHealth(ruleId, releaseId, e.counts(), e.tenants(), e.total(), posterior.getNumericalMean(),
                posterior.inverseCumulativeProbability((1 - INTERVAL) / 2), posterior.inverseCumulativeProbability((1 + INTERVAL) / 2),
                below, notUseful(e.counts()), status(e, below), onProbation, trend, direction(trend));
    }

    ReleasePoint point(String releaseId, List<Group> groups, ToDoubleFunction<String> weight) {
        Evidence e = evidence(groups, weight);
        return new ReleasePoint(releaseId, posterior(e).getNumericalMean(), e.total(), notUseful(e.counts()));
    }

    private Status status(Evidence e, double below) {
        if (e.total() < policy.minFeedbackThreshold()) {
            return Status.UNDECIDED;
        }
        if (below >= policy.confidenceThreshold() && e.tenants() >= policy.minTenants()) {
            return Status.NOISY;
        }
        return 1 - below >= policy.confidenceThreshold() ? Status.GOOD : Status.UNDECIDED;
    }

    private static BetaDistribution posterior(Evidence e) {
        return new BetaDistribution(1 + e.correct() + e.wontFix(), 1 + e.falsePositive());
    }

    private static Double notUseful(Map<FeedbackVerdict, Integer> counts) {
        int notUseful = counts.getOrDefault(FeedbackVerdict.FALSE_POSITIVE, 0) + counts.getOrDefault(FeedbackVerdict.WONT_FIX, 0);
        int all = notUseful + counts.getOrDefault(FeedbackVerdict.TRUE_POSITIVE, 0);
        return all == 0 ? null : (double) notUseful / all;
    }

    private static Direction direction(List<ReleasePoint> trend) {
        List<ReleasePoint> judged = trend.stream().filter(p -> p.evidence() > 0).toList();
        if (judged.size() < 2) {
            return Direction.UNKNOWN;
        }
        double change = judged.getLast().precision() - judged.get(judged.size() - 2).precision();
        return change > TREND_STEP ? Direction.IMPROVING : change < -TREND_STEP ? Direction.WORSENING : Direction.STEADY;
    }
}

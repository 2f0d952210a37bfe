package dev.freshet.updates.community;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The consensus on one finding (by fingerprint): is it a true or a false positive? Tenants vote,
 * not keys, so a tenant's many keys are one voice: each contributor takes the verdict they gave
 * most often on the finding, a tenant the side its contributors' reputations favour, weighing the
 * mean reputation of those contributors but at most 1 (so low standing weighs little and high
 * standing does not outvote other tenants). There is a consensus when one side has at least
 * {@link #MIN_TENANTS} tenants and {@link #SHARE} of the weight. Won't-fix and missed findings do
 * not vote: they say nothing about whether the finding is right. Pure arithmetic, like {@link HealthModel}.
 */
final class FindingConsensus {
    static final int MIN_TENANTS = 2;
    static final double SHARE = 2.0 / 3;

    /** Verdicts of one contributor of one tenant on one finding. */
    record Votes(String fingerprint, String tenant, String contributor, FeedbackVerdict verdict, int count) {
    }

    private FindingConsensus() {
    }

    /** The verdict the finding's votes agree on, if they do. */
    static Optional<FeedbackVerdict> of(List<Votes> votes, ToDoubleFunction<String> weight) {
        Map<String, int[]> byContributor = new HashMap<>(); // true positives, false positives
        Map<String, String> tenantOf = new HashMap<>();
        for (Votes v : votes) {
            int side = side(v.verdict());
            if (side >= 0) {
                byContributor.computeIfAbsent(v.contributor(), c -> new int[2])[side] += v.count();
                tenantOf.put(v.contributor(), v.tenant());
            }
        }
        Map<String, double[]> byTenant = new HashMap<>(); // reputation on each side, then voters on each side
        byContributor.forEach((contributor, n) -> {
            if (n[0] != n[1]) {
                int side = n[0] > n[1] ? 0 : 1;
                double[] tenant = byTenant.computeIfAbsent(tenantOf.get(contributor), t -> new double[4]);
                tenant[side] += weight.applyAsDouble(contributor);
                tenant[2 + side]++;
            }
        });
        double[] weightOf = new double[2];
        int[] tenants = new int[2];
        for (double[] t : byTenant.values()) {
            if (t[0] != t[1]) {
                int side = t[0] > t[1] ? 0 : 1;
                weightOf[side] += Math.min(1.0, t[side] / t[2 + side]);
                tenants[side]++;
            }
        }
        double total = weightOf[0] + weightOf[1];
        for (int side = 0; side < 2; side++) {
            if (tenants[side] >= MIN_TENANTS && weightOf[side] >= SHARE * total - 1e-9) {
                return Optional.of(side == 0 ? FeedbackVerdict.TRUE_POSITIVE : FeedbackVerdict.FALSE_POSITIVE);
            }
        }
        return Optional.empty();
    }

    /** 0 for a true positive, 1 for a false positive, -1 for a verdict that does not vote. */
    static int side(FeedbackVerdict verdict) {
        return switch (verdict) {
            case TRUE_POSITIVE -> 0;
            case FALSE_POSITIVE -> 1;
            case WONT_FIX, FALSE_NEGATIVE -> -1;
        };
    }
}

package dev.freshet.updates.community;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The consensus on one finding (by fingerprint): is it a true or a false positive? Each contributor
 * votes once, with the verdict they gave most often on it, weighing their reputation; there is a
 * consensus when at least {@link #MIN_VOTERS} contributors voted, one side holds at least
 * {@link #SHARE} of the weight, and that side spans at least {@link #MIN_TENANTS} tenants (so one
 * tenant's keys cannot make a consensus alone). Won't-fix and missed findings do not vote: they say
 * nothing about whether the finding is right. Pure arithmetic, like {@link HealthModel}.
 */
final class FindingConsensus {
    static final int MIN_VOTERS = 3;
    static final double SHARE = 0.75;
    static final int MIN_TENANTS = 2;

    /** Verdicts of one contributor of one tenant on one finding. */
    record Votes(String fingerprint, String tenant, String contributor, FeedbackVerdict verdict, int count) {
    }

    private FindingConsensus() {
    }

    /** The verdict the finding's votes agree on, if they do. */
    static Optional<FeedbackVerdict> of(List<Votes> votes, ToDoubleFunction<String> weight) {
        Map<String, int[]> byContributor = new HashMap<>(); // true positive, false positive
        Map<String, String> tenantOf = new HashMap<>();
        for (Votes v : votes) {
            int slot = v.verdict() == FeedbackVerdict.TRUE_POSITIVE ? 0 : v.verdict() == FeedbackVerdict.FALSE_POSITIVE ? 1 : -1;
            if (slot >= 0) {
                byContributor.computeIfAbsent(v.contributor(), c -> new int[2])[slot] += v.count();
                tenantOf.put(v.contributor(), v.tenant());
            }
        }
        double[] weightOf = new double[2];
        List<Set<String>> tenants = List.of(new HashSet<>(), new HashSet<>());
        int voters = 0;
        for (Map.Entry<String, int[]> e : byContributor.entrySet()) {
            int[] n = e.getValue();
            if (n[0] == n[1]) {
                continue; // undecided themselves
            }
            int side = n[0] > n[1] ? 0 : 1;
            weightOf[side] += weight.applyAsDouble(e.getKey());
            tenants.get(side).add(tenantOf.get(e.getKey()));
            voters++;
        }
        double total = weightOf[0] + weightOf[1];
        if (voters < MIN_VOTERS || total <= 0) {
            return Optional.empty();
        }
        for (int side = 0; side < 2; side++) {
            if (weightOf[side] / total >= SHARE && tenants.get(side).size() >= MIN_TENANTS) {
                return Optional.of(side == 0 ? FeedbackVerdict.TRUE_POSITIVE : FeedbackVerdict.FALSE_POSITIVE);
            }
        }
        return Optional.empty();
    }
}

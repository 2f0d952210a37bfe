package dev.freshet.updates.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate against stable over one analysis window, from every node's scans in the store.
 *
 * @param breaches what exceeded its threshold, each naming the metric, value and limit
 */
public record Analysis(Verdict verdict, long candidateScans, long stableScans, double errorRate, double p95Ratio,
                       double findingsRatio, List<String> breaches) {

    public enum Verdict { PASS, FAIL, INCONCLUSIVE }

    /** One side's figures: every scan's time, and totals. */
    record Side(List<Long> durationsMs, long failed, long lines, long findings) {
        long scans() {
            return durationsMs.size();
        }

        long p95() {
            if (durationsMs.isEmpty()) {
                return 0;
            }
            List<Long> sorted = durationsMs.stream().sorted().toList();
            return sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        }

        /** Findings per thousand lines; one finding added to both sides keeps a clean stable from dividing by zero. */
        double findingsPerKloc() {
            return (findings + 1) * 1000.0 / Math.max(lines, 1);
        }
    }

    static Analysis of(Side candidate, Side stable, RolloutPlan plan) {
        double errorRate = candidate.scans() == 0 ? 0 : (double) candidate.failed() / candidate.scans();
        double p95Ratio = (double) Math.max(candidate.p95(), 1) / Math.max(stable.p95(), 1);
        double findingsRatio = candidate.findingsPerKloc() / stable.findingsPerKloc();
        List<String> breaches = new ArrayList<>();
        if (candidate.scans() > 0 && errorRate > plan.maxErrorRate()) {
            breaches.add("scan error rate %.3f over %.3f".formatted(errorRate, plan.maxErrorRate()));
        }
        if (candidate.scans() > 0 && stable.scans() > 0) {
            if (p95Ratio > plan.maxP95Ratio()) {
                breaches.add("p95 scan time ratio %.2f over %.2f".formatted(p95Ratio, plan.maxP95Ratio()));
            }
            if (findingsRatio > plan.maxFindingsRatio()) {
                breaches.add("findings per kLOC ratio %.2f over %.2f".formatted(findingsRatio, plan.maxFindingsRatio()));
            }
        }
        Verdict verdict = !breaches.isEmpty() ? Verdict.FAIL
                : candidate.scans() < plan.minScans() || stable.scans() < plan.minScans() ? Verdict.INCONCLUSIVE : Verdict.PASS;
        return new Analysis(verdict, candidate.scans(), stable.scans(), errorRate, p95Ratio, findingsRatio, List.copyOf(breaches));
    }
}

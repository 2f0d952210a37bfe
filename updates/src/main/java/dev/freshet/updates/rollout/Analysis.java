package dev.freshet.updates.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate against stable over one analysis window, from every node's work in the store: scans on
 * a rule track, scored requests on a model track (then the "scans" count requests, the latency
 * ratio is of mean scoring time and the findings ratio is the anomaly-rate ratio).
 *
 * @param breaches             what exceeded its threshold, each naming the metric, value and limit
 * @param falsePositiveRatio   the candidate's false-positive feedback rate over stable's, 0 when no feedback is known
 */
public record Analysis(Verdict verdict, long candidateScans, long stableScans, double errorRate, double p95Ratio,
                       double findingsRatio, List<String> breaches, double falsePositiveRatio) {

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

    static final double LATENCY_FLOOR_MICROS = 10;

    /** One side's scored requests, summed over every node's recorded intervals. */
    record ScoreSide(long requests, long anomalous, long failed, long micros) {
        /** One anomaly added to both sides keeps a quiet stable from dividing by zero. */
        double anomalyRate() {
            return (anomalous + 1.0) / (requests + 1.0);
        }

        double meanMicros() {
            return requests == 0 ? 0 : (double) micros / requests;
        }
    }

    /** A model rollout's analysis: error rate, mean scoring time ratio, anomaly-rate ratio, false-positive feedback. */
    static Analysis ofScores(ScoreSide candidate, ScoreSide stable, RolloutPlan plan, FeedbackSignal.Rates feedback) {
        double errorRate = candidate.requests() == 0 ? 0 : (double) candidate.failed() / candidate.requests();
        // A floor of ten microseconds a request: below it, differences are the JIT and the cache, not a regression.
        double latencyRatio = Math.max(candidate.meanMicros(), LATENCY_FLOOR_MICROS) / Math.max(stable.meanMicros(), LATENCY_FLOOR_MICROS);
        double anomalyRatio = candidate.anomalyRate() / stable.anomalyRate();
        List<String> breaches = new ArrayList<>();
        if (candidate.requests() > 0 && errorRate > plan.maxErrorRate()) {
            breaches.add("scoring error rate %.3f over %.3f".formatted(errorRate, plan.maxErrorRate()));
        }
        if (candidate.requests() > 0 && stable.requests() > 0) {
            if (latencyRatio > plan.maxP95Ratio()) {
                breaches.add("mean scoring time ratio %.2f over %.2f".formatted(latencyRatio, plan.maxP95Ratio()));
            }
            if (anomalyRatio > plan.maxFindingsRatio()) {
                breaches.add("anomaly rate ratio %.2f over %.2f".formatted(anomalyRatio, plan.maxFindingsRatio()));
            }
        }
        double fpRatio = feedback.ratio();
        if (fpRatio > plan.maxFindingsRatio()) {
            breaches.add("false-positive feedback rate ratio %.2f over %.2f".formatted(fpRatio, plan.maxFindingsRatio()));
        }
        Verdict verdict = !breaches.isEmpty() ? Verdict.FAIL
                : candidate.requests() < plan.minScans() || stable.requests() < plan.minScans() ? Verdict.INCONCLUSIVE : Verdict.PASS;
        return new Analysis(verdict, candidate.requests(), stable.requests(), errorRate, latencyRatio, anomalyRatio, List.copyOf(breaches),
                fpRatio);
    }

    static Analysis of(Side candidate, Side stable, RolloutPlan plan, FeedbackSignal.Rates feedback) {
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
        double fpRatio = feedback.ratio();
        if (fpRatio > plan.maxFindingsRatio()) {
            breaches.add("false-positive feedback rate ratio %.2f over %.2f".formatted(fpRatio, plan.maxFindingsRatio()));
        }
        Verdict verdict = !breaches.isEmpty() ? Verdict.FAIL
                : candidate.scans() < plan.minScans() || stable.scans() < plan.minScans() ? Verdict.INCONCLUSIVE : Verdict.PASS;
        return new Analysis(verdict, candidate.scans(), stable.scans(), errorRate, p95Ratio, findingsRatio, List.copyOf(breaches), fpRatio);
    }
}

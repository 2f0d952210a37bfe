package dev.freshet.engine.models;

import java.util.List;
import java.util.function.Predicate;

/** A model's verdict on one request: its score, the threshold it was held to, and why. */
public record Assessment(double score, double threshold, List<Finding> findings) {
    /** Each hard finding weighs this much; soft findings together weigh less. */
    static final double HARD_WEIGHT = 10;
    static final double SOFT_CAP = 9.9;

    public Assessment {
        findings = List.copyOf(findings);
    }

    public boolean anomalous() {
        return score > threshold;
    }

    /** The score of {@code findings} that {@code keep} accepts. */
    public static double score(List<Finding> findings, Predicate<Finding> keep) {
        double hard = 0;
        double soft = 0;
        for (Finding finding : findings) {
            if (keep.test(finding)) {
                if (finding.hard()) {
                    hard += HARD_WEIGHT;
                } else {
                    soft += finding.severity();
                }
            }
        }
        return hard + Math.min(SOFT_CAP, soft);
    }

    /** The score this request would have without the findings {@code drop} names. */
    public double scoreWithout(Predicate<Finding> drop) {
        return score(findings, drop.negate());
    }
}

package dev.freshet.updates.learning;

import java.util.Arrays;

/** Chooses a model's threshold from benign validation scores. */
public final class Calibration {
    private Calibration() {
    }

    /**
     * The lowest threshold that flags at most {@code targetFalsePositiveRate} of the benign
     * {@code scores} (a request is flagged when its score is above the threshold).
     */
    public static double threshold(double[] scores, double targetFalsePositiveRate) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no validation requests to calibrate on");
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(targetFalsePositiveRate * sorted.length);
        return sorted[sorted.length - 1 - Math.min(allowed, sorted.length - 1)];
    }
}

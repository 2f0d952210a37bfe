package dev.freshet.updates.learning;

import java.util.Arrays;

/**
 * How a model at its threshold separates benign from anomalous requests. {@code auc} is the area
 * under the ROC curve (ties count half); the precision figures say what share of alerts would be
 * real if attacks were 1 % or 0.1 % of traffic.
 */
public record Evaluation(long normal, long anomalous, long truePositives, long falsePositives, double threshold,
                         double tpr, double fpr, double precision, double auc, double precisionAt1Percent,
                         double precisionAtPermille) {

    public static Evaluation of(double[] normalScores, double[] anomalousScores, double threshold) {
        long falsePositives = Arrays.stream(normalScores).filter(score -> score > threshold).count();
        long truePositives = Arrays.stream(anomalousScores).filter(score -> score > threshold).count();
        double tpr = anomalousScores.length == 0 ? Double.NaN : truePositives / (double) anomalousScores.length;
        double fpr = normalScores.length == 0 ? Double.NaN : falsePositives / (double) normalScores.length;
        double precision = truePositives + falsePositives == 0 ? Double.NaN : truePositives / (double) (truePositives + falsePositives);
        return new Evaluation(normalScores.length, anomalousScores.length, truePositives, falsePositives, threshold, tpr, fpr,
                precision, auc(normalScores, anomalousScores), precisionAt(tpr, fpr, 0.01), precisionAt(tpr, fpr, 0.001));
    }

    private static double precisionAt(double tpr, double fpr, double attackRate) {
        double alerts = tpr * attackRate + fpr * (1 - attackRate);
        return alerts == 0 ? Double.NaN : tpr * attackRate / alerts;
    }

    /** Mann-Whitney: the chance that a random anomalous request scores above a random normal one. */
    static double auc(double[] normalScores, double[] anomalousScores) {
        if (normalScores.length == 0 || anomalousScores.length == 0) {
            return Double.NaN;
        }
        double[] normal = normalScores.clone();
        Arrays.sort(normal);
        double wins = 0;
        for (double score : anomalousScores) {
            int below = lowerBound(normal, score);
            int notAbove = upperBound(normal, score);
            wins += below + (notAbove - below) / 2.0;
        }
        return wins / ((double) normal.length * anomalousScores.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int upperBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}

package dev.freshet.engine.deps.cvss;

import java.util.ArrayList;
import java.util.List;

/**
 * Not a unit test: prints how fast vectors are parsed and scored, over all 104,976 CVSS v4.0 base
 * vectors and the same number of v3.1 vectors (the 2,592 base vectors repeated).
 */
public final class CvssThroughput {

    public static void main(String[] args) throws CvssException {
        List<String> v4 = all("CVSS:4.0", CvssV4.METRICS);
        List<String> v31 = new ArrayList<>();
        List<String> v31Base = all("CVSS:3.1", CvssV3.METRICS);
        while (v31.size() < v4.size()) v31.addAll(v31Base);
        for (int round = 1; round <= 3; round++) { // the first rounds warm the JIT up
            measure("v4.0 round " + round, v4);
            measure("v3.1 round " + round, v31);
        }
    }

    private static void measure(String label, List<String> vectors) throws CvssException {
        long start = System.nanoTime();
        double sum = 0;
        for (String vector : vectors) sum += Cvss.parse(vector).baseScore();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-14s %,d vectors in %.3f s = %,.0f vectors/s (mean score %.2f)%n",
                label, vectors.size(), seconds, vectors.size() / seconds, sum / vectors.size());
    }

    /** Every combination of the base metric values. */
    private static List<String> all(String prefix, MetricTable table) {
        List<String> vectors = new ArrayList<>(List.of(prefix));
        table.values().entrySet().stream().limit(table.mandatory()).forEach(metric -> {
            List<String> longer = new ArrayList<>();
            for (String start : vectors) {
                for (String value : metric.getValue()) longer.add(start + "/" + metric.getKey() + ":" + value);
            }
            vectors.clear();
            vectors.addAll(longer);
        });
        return vectors;
    }
}

package dev.freshet.engine.deps.cvss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CVSS v4.0 scoring algorithm (specification section 8): the vector falls into one of 270
 * macrovectors (equivalence classes EQ1..EQ6) whose expert-assigned score is looked up, then the
 * score is lowered toward the next lower macrovector in proportion to how far the vector sits
 * below the most severe vectors of its own class.
 *
 * <p>The arithmetic follows the reference calculator step by step, in the same order, so that
 * floating-point results (and therefore the final rounding) agree with it.
 */
final class CvssV4Scoring {

    private static final List<String> BASE = List.of("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA");

    /**
     * Macrovector scores from the specification's lookup table. A row is EQ1 EQ2 EQ3 followed by the
     * scores for EQ4, EQ5, EQ6 counting up (EQ6 fastest); EQ3=2 exists only with EQ6=1.
     */
    private static final String MACROVECTOR_SCORES = """
            000 10 9.9 9.8 9.5 9.5 9.2 10 9.6 9.3 8.7 9.1 8.1 9.3 9 8.9 8 8.1 6.8
            001 9.8 9.5 9.5 9.2 9 8.4 9.3 9.2 8.9 8.1 8.1 6.5 8.8 8 7.8 7 6.9 4.8
            002 9.2 8.2 7.2 7.9 6.9 5 6.9 5.5 2.7
            010 9.9 9.7 9.5 9.2 9.2 8.5 9.5 9.1 9 8.3 8.4 7.1 9.2 8.1 8.2 7.1 7.2 5.3
            011 9.5 9.3 9.2 8.5 8.5 7.3 9.2 8.2 8 7.2 7 5.9 8.4 7 7.1 5.2 5 3
            012 8.6 7.5 5.2 7.1 5.2 2.9 6.3 2.9 1.7
            100 9.8 9.5 9.4 8.7 9.1 8.1 9.4 8.9 8.6 7.4 7.7 6.4 8.7 7.5 7.4 6.3 6.3 4.9
            101 9.4 8.9 8.8 7.7 7.6 6.7 8.6 7.6 7.4 5.8 5.9 5 7.2 5.7 5.7 5.2 5.2 2.5
            102 8.3 7 5.4 6.5 5.8 2.6 5.3 2.1 1.3
            110 9.5 9 8.8 7.6 7.6 7 9 7.7 7.5 6.2 6.1 5.3 7.7 6.6 6.8 5.9 5.2 3
            111 8.9 7.8 7.6 6.7 6.2 5.8 7.4 5.9 5.7 5.7 4.7 2.3 6.1 5.2 5.7 2.9 2.4 1.6
            112 7.1 5.9 3 5.8 2.6 1.5 2.3 1.3 0.6
            200 9.3 8.7 8.6 7.2 7.5 5.8 8.6 7.4 7.4 6.1 5.6 3.4 7 5.4 5.2 4 4 2.2
            201 8.5 7.5 7.4 5.5 6.2 5.1 7.2 5.7 5.5 4.1 4.6 1.9 5.3 3.6 3.4 1.9 1.9 0.8
            202 6.4 5.1 2 4.7 2.1 1.1 2.4 0.9 0.4
            210 8.8 7.5 7.3 5.3 6 5 7.3 5.5 5.9 4 4.1 2 5.4 4.3 4.5 2.2 2 1.1
            211 7.5 5.5 5.8 4.5 4 2.1 6.1 5.1 4.8 1.8 2 0.9 4.6 1.8 1.7 0.7 0.8 0.2
            212 5.3 2.4 1.4 2.4 1.2 0.5 1 0.3 0.1
            """;

    /** Indexed [EQ1][EQ2][EQ3][EQ4][EQ5][EQ6]; NaN where the table has no macrovector. */
    private static final double[][][][][][] MACROVECTORS = loadMacrovectors();

    /** Each metric value's distance from the metric's most severe value, in steps of 0.1. */
    private static final Map<String, Map<String, Double>> LEVELS = Map.ofEntries(
            Map.entry("AV", Map.of("N", 0.0, "A", 0.1, "L", 0.2, "P", 0.3)),
            Map.entry("PR", Map.of("N", 0.0, "L", 0.1, "H", 0.2)),
            Map.entry("UI", Map.of("N", 0.0, "P", 0.1, "A", 0.2)),
            Map.entry("AC", Map.of("L", 0.0, "H", 0.1)),
            Map.entry("AT", Map.of("N", 0.0, "P", 0.1)),
            Map.entry("VC", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
            Map.entry("VI", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
            Map.entry("VA", Map.of("H", 0.0, "L", 0.1, "N", 0.2)),
            Map.entry("SC", Map.of("H", 0.1, "L", 0.2, "N", 0.3)),
            Map.entry("SI", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
            Map.entry("SA", Map.of("S", 0.0, "H", 0.1, "L", 0.2, "N", 0.3)),
            Map.entry("CR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
            Map.entry("IR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)),
            Map.entry("AR", Map.of("H", 0.0, "M", 0.1, "L", 0.2)));

    /** The most severe vectors of each EQ level (for EQ3, per EQ3 then EQ6 level), from the specification. */
    private static final List<List<Map<String, String>>> EQ1_HIGHEST = List.of(
            parts("AV:N/PR:N/UI:N"),
            parts("AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"),
            parts("AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"));
    private static final List<List<Map<String, String>>> EQ2_HIGHEST = List.of(
            parts("AC:L/AT:N"),
            parts("AC:H/AT:N", "AC:L/AT:P"));
    private static final List<List<List<Map<String, String>>>> EQ3_EQ6_HIGHEST = List.of(
            List.of(parts("VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"),
                    parts("VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M")),
            List.of(parts("VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"),
                    parts("VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
                            "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H",
                            "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M")),
            List.of(List.of(), parts("VC:L/VI:L/VA:L/CR:H/IR:H/AR:H")));
    private static final List<List<Map<String, String>>> EQ4_HIGHEST = List.of(
            parts("SC:H/SI:S/SA:S"),
            parts("SC:H/SI:H/SA:H"),
            parts("SC:L/SI:L/SA:L"));

    /** How many 0.1 steps deep each macrovector is (the specification's maximal severity distances). */
    private static final int[] EQ1_DEPTH = {1, 4, 5};
    private static final int[] EQ2_DEPTH = {1, 2};
    private static final int[][] EQ3_EQ6_DEPTH = {{7, 6}, {8, 8}, {0, 10}};
    private static final int[] EQ4_DEPTH = {6, 5, 4};

    private CvssV4Scoring() {
    }

    /**
     * The metric values scoring works on. Without threat and environmental metrics (CVSS-B) they are
     * the base values, with Exploit Maturity and the security requirements at their worst case;
     * with them, modified base metrics replace base ones and E, CR, IR, AR take the values given.
     */
    static Map<String, String> effective(Map<String, String> metrics, boolean threatAndEnvironment) {
        Map<String, String> effective = new HashMap<>();
        for (String base : BASE) {
            String modified = threatAndEnvironment ? metrics.getOrDefault("M" + base, "X") : "X";
            effective.put(base, modified.equals("X") ? metrics.get(base) : modified);
        }
        effective.put("E", defined(metrics, "E", threatAndEnvironment, "A"));
        for (String requirement : List.of("CR", "IR", "AR")) {
            effective.put(requirement, defined(metrics, requirement, threatAndEnvironment, "H"));
        }
        return effective;
    }

    private static String defined(Map<String, String> metrics, String name, boolean use, String worstCase) {
        String value = use ? metrics.getOrDefault(name, "X") : "X";
        return value.equals("X") ? worstCase : value;
    }

    static double score(Map<String, String> m) {
        if (Stream.of("VC", "VI", "VA", "SC", "SI", "SA").allMatch(x -> m.get(x).equals("N"))) return 0.0;

        int eq1 = eq1(m), eq2 = eq2(m), eq3 = eq3(m), eq4 = eq4(m), eq5 = eq5(m), eq6 = eq6(m);
        double value = macrovector(eq1, eq2, eq3, eq4, eq5, eq6);

        // The next lower macrovector along each EQ; NaN when there is none. EQ3 and EQ6 move together.
        double lower1 = macrovector(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
        double lower2 = macrovector(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
        double lower36;
        if (eq3 == 0 && eq6 == 0) {
            lower36 = Math.max(macrovector(eq1, eq2, eq3, eq4, eq5, eq6 + 1), macrovector(eq1, eq2, eq3 + 1, eq4, eq5, eq6));
        } else if (eq3 == 1 && eq6 == 0) {
            lower36 = macrovector(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
        } else {
            lower36 = macrovector(eq1, eq2, eq3 + 1, eq4, eq5, eq6);
        }
        double lower4 = macrovector(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
        double lower5 = macrovector(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

        Map<String, Double> d = distanceFromHighest(m, eq1, eq2, eq3, eq4, eq6);
        double distance1 = d.get("AV") + d.get("PR") + d.get("UI");
        double distance2 = d.get("AC") + d.get("AT");
        double distance36 = d.get("VC") + d.get("VI") + d.get("VA") + d.get("CR") + d.get("IR") + d.get("AR");
        double distance4 = d.get("SC") + d.get("SI") + d.get("SA");

        double step = 0.1;
        int lowerCount = 0;
        double[] normalized = new double[5];
        double[] available = {value - lower1, value - lower2, value - lower36, value - lower4, value - lower5};
        double[] proportion = {
                distance1 / (EQ1_DEPTH[eq1] * step),
                distance2 / (EQ2_DEPTH[eq2] * step),
                distance36 / (EQ3_EQ6_DEPTH[eq3][eq6] * step),
                distance4 / (EQ4_DEPTH[eq4] * step),
                0}; // EQ5 has a single level of severity inside each macrovector
        for (int i = 0; i < 5; i++) {
            if (!Double.isNaN(available[i])) {
                lowerCount++;
                normalized[i] = available[i] * proportion[i];
            }
        }
        double mean = lowerCount == 0 ? 0
                : (normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4]) / lowerCount;
        double result = Math.max(0, Math.min(10, value - mean));
        return Math.round(result * 10) / 10.0;
    }

    static int eq1(Map<String, String> m) {
        boolean av = is(m, "AV", "N"), pr = is(m, "PR", "N"), ui = is(m, "UI", "N");
        if (av && pr && ui) return 0;
        if ((av || pr || ui) && !is(m, "AV", "P")) return 1;
        return 2;
    }

    static int eq2(Map<String, String> m) {
        return is(m, "AC", "L") && is(m, "AT", "N") ? 0 : 1;
    }

    static int eq3(Map<String, String> m) {
        if (is(m, "VC", "H") && is(m, "VI", "H")) return 0;
        if (is(m, "VC", "H") || is(m, "VI", "H") || is(m, "VA", "H")) return 1;
        return 2;
    }

    static int eq4(Map<String, String> m) {
        if (is(m, "SI", "S") || is(m, "SA", "S")) return 0;
        if (is(m, "SC", "H") || is(m, "SI", "H") || is(m, "SA", "H")) return 1;
        return 2;
    }

    static int eq5(Map<String, String> m) {
        return switch (m.get("E")) {
            case "A" -> 0;
            case "P" -> 1;
            default -> 2;
        };
    }

    static int eq6(Map<String, String> m) {
        boolean high = (is(m, "CR", "H") && is(m, "VC", "H")) || (is(m, "IR", "H") && is(m, "VI", "H"))
                || (is(m, "AR", "H") && is(m, "VA", "H"));
        return high ? 0 : 1;
    }

    private static boolean is(Map<String, String> m, String metric, String value) {
        return m.get(metric).equals(value);
    }

    /**
     * Per metric, how far the vector sits below the first most-severe vector of its macrovector
     * that is at least as severe in every metric. Should none qualify, the last candidate is used,
     * as the reference calculator does.
     */
    private static Map<String, Double> distanceFromHighest(Map<String, String> m, int eq1, int eq2, int eq3, int eq4,
                                                           int eq6) {
        Map<String, Double> distances = Map.of();
        for (Map<String, String> h1 : EQ1_HIGHEST.get(eq1)) {
            for (Map<String, String> h2 : EQ2_HIGHEST.get(eq2)) {
                for (Map<String, String> h36 : EQ3_EQ6_HIGHEST.get(eq3).get(eq6)) {
                    for (Map<String, String> h4 : EQ4_HIGHEST.get(eq4)) {
                        Map<String, String> highest = new HashMap<>(h1);
                        highest.putAll(h2);
                        highest.putAll(h36);
                        highest.putAll(h4);
                        distances = new HashMap<>();
                        for (Map.Entry<String, Map<String, Double>> level : LEVELS.entrySet()) {
                            String metric = level.getKey();
                            distances.put(metric, level.getValue().get(m.get(metric)) - level.getValue().get(highest.get(metric)));
                        }
                        if (distances.values().stream().allMatch(x -> x >= 0)) return distances;
                    }
                }
            }
        }
        return distances;
    }

    private static double macrovector(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6) {
        if (eq1 > 2 || eq2 > 1 || eq3 > 2 || eq4 > 2 || eq5 > 2 || eq6 > 1) return Double.NaN;
        return MACROVECTORS[eq1][eq2][eq3][eq4][eq5][eq6];
    }

    private static double[][][][][][] loadMacrovectors() {
        double[][][][][][] table = new double[3][2][3][3][3][2];
        for (double[][][][][] a : table) for (double[][][][] b : a) for (double[][][] c : b) for (double[][] d : c)
            for (double[] e : d) Arrays.fill(e, Double.NaN);
        int rows = 0;
        for (String row : MACROVECTOR_SCORES.strip().split("\n")) {
            String[] f = row.strip().split(" ");
            int eq1 = f[0].charAt(0) - '0', eq2 = f[0].charAt(1) - '0', eq3 = f[0].charAt(2) - '0';
            List<int[]> cells = new ArrayList<>();
            for (int eq4 = 0; eq4 < 3; eq4++)
                for (int eq5 = 0; eq5 < 3; eq5++)
                    for (int eq6 = eq3 == 2 ? 1 : 0; eq6 < 2; eq6++) cells.add(new int[] {eq4, eq5, eq6});
            if (cells.size() != f.length - 1) throw new IllegalStateException("macrovector row " + f[0] + " is incomplete");
            for (int i = 0; i < cells.size(); i++) {
                int[] c = cells.get(i);
                table[eq1][eq2][eq3][c[0]][c[1]][c[2]] = Double.parseDouble(f[i + 1]);
            }
            rows++;
        }
        if (rows != 18) throw new IllegalStateException("macrovector table has " + rows + " rows, expected 18");
        return table;
    }

    private static List<Map<String, String>> parts(String... vectors) {
        List<Map<String, String>> result = new ArrayList<>();
        for (String vector : vectors) {
            Map<String, String> metrics = new HashMap<>();
            for (String part : vector.split("/")) metrics.put(part.split(":")[0], part.split(":")[1]);
            result.add(Map.copyOf(metrics));
        }
        return List.copyOf(result);
    }
}

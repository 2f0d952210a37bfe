package dev.freshet.engine.deps.cvss;

import java.util.List;
import java.util.Map;

/**
 * A CVSS v4.0 vector. Threat, environmental and supplemental metrics are accepted and kept.
 *
 * @param baseScore CVSS-B: the score of the base metrics alone, what advisories publish
 * @param score     the score with the threat and environmental metrics the vector sets folded in
 *                  (CVSS-BT, -BE or -BTE, see {@link #nomenclature()}); equals {@code baseScore}
 *                  when it sets none. Supplemental metrics never change a score.
 */
public record CvssV4(String vector, Map<String, String> metrics, double baseScore, double score) implements Cvss {

    static final MetricTable METRICS = MetricTable.of(11, "",
            "AV:N,A,L,P", "AC:L,H", "AT:N,P", "PR:N,L,H", "UI:N,P,A",
            "VC:H,L,N", "VI:H,L,N", "VA:H,L,N", "SC:H,L,N", "SI:H,L,N", "SA:H,L,N",
            "E:X,A,P,U",
            "CR:X,H,M,L", "IR:X,H,M,L", "AR:X,H,M,L",
            "MAV:X,N,A,L,P", "MAC:X,L,H", "MAT:X,N,P", "MPR:X,N,L,H", "MUI:X,N,P,A",
            "MVC:X,H,L,N", "MVI:X,H,L,N", "MVA:X,H,L,N", "MSC:X,H,L,N", "MSI:X,S,H,L,N", "MSA:X,S,H,L,N",
            "S:X,N,P", "AU:X,N,Y", "R:X,A,U,I", "V:X,D,C", "RE:X,L,M,H", "U:X,Clear,Green,Amber,Red");

    private static final List<String> ENVIRONMENTAL = List.of("CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI",
            "MVC", "MVI", "MVA", "MSC", "MSI", "MSA");

    @Override
    public Severity severity() {
        return Severity.of(baseScore);
    }

    /** The rating of {@link #score()}. */
    public Severity scoreSeverity() {
        return Severity.of(score);
    }

    /** Which metric groups {@link #score()} reflects: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE. */
    public String nomenclature() {
        boolean threat = defined("E");
        boolean environmental = ENVIRONMENTAL.stream().anyMatch(this::defined);
        return "CVSS-B" + (threat ? "T" : "") + (environmental ? "E" : "");
    }

    private boolean defined(String metric) {
        return !metrics.getOrDefault(metric, "X").equals("X");
    }

    static CvssV4 parse(String input, String body) throws CvssException {
        Map<String, String> m = METRICS.parse(input, body);
        Map<String, String> base = CvssV4Scoring.effective(m, false);
        Map<String, String> all = CvssV4Scoring.effective(m, true);
        double baseScore = CvssV4Scoring.score(base);
        return new CvssV4(MetricTable.vector("CVSS:4.0", m), m, baseScore,
                all.equals(base) ? baseScore : CvssV4Scoring.score(all));
    }
}

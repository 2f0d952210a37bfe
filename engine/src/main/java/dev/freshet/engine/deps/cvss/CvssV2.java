package dev.freshet.engine.deps.cvss;

import java.util.Map;

/**
 * A CVSS v2 vector. Temporal and environmental metrics are accepted and kept; the base score
 * ignores them.
 */
public record CvssV2(String vector, Map<String, String> metrics, double baseScore) implements Cvss {

    static final MetricTable METRICS = MetricTable.of(6,
            " (CVSS v3 and v4 vectors need their CVSS:3.1/ or CVSS:4.0/ prefix)",
            "AV:L,A,N", "AC:H,M,L", "Au:M,S,N", "C:N,P,C", "I:N,P,C", "A:N,P,C",
            "E:U,POC,F,H,ND", "RL:OF,TF,W,U,ND", "RC:UC,UR,C,ND",
            "CDP:N,L,LM,MH,H,ND", "TD:N,L,M,H,ND", "CR:L,M,H,ND", "IR:L,M,H,ND", "AR:L,M,H,ND");

    @Override
    public Severity severity() {
        return Severity.ofV2(baseScore);
    }

    static CvssV2 parse(String input) throws CvssException {
        Map<String, String> m = METRICS.parse(input, input);
        return new CvssV2(MetricTable.vector("", m), m, baseScore(m));
    }

    /** The base equation of the CVSS v2 guide, section 3.2.1. */
    private static double baseScore(Map<String, String> m) {
        double impact = 10.41 * (1 - (1 - impact(m.get("C"))) * (1 - impact(m.get("I"))) * (1 - impact(m.get("A"))));
        double exploitability = 20 * accessVector(m.get("AV")) * accessComplexity(m.get("AC"))
                * authentication(m.get("Au"));
        double fImpact = impact == 0 ? 0 : 1.176;
        double score = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * fImpact;
        return Math.round(score * 10) / 10.0;
    }

    private static double accessVector(String v) {
        return switch (v) {
            case "L" -> 0.395;
            case "A" -> 0.646;
            default -> 1.0;
        };
    }

    private static double accessComplexity(String v) {
        return switch (v) {
            case "H" -> 0.35;
            case "M" -> 0.61;
            default -> 0.71;
        };
    }

    private static double authentication(String v) {
        return switch (v) {
            case "M" -> 0.45;
            case "S" -> 0.56;
            default -> 0.704;
        };
    }

    private static double impact(String v) {
        return switch (v) {
            case "N" -> 0.0;
            case "P" -> 0.275;
            default -> 0.660;
        };
    }
}

package dev.freshet.engine.deps.cvss;

import java.util.Map;

/**
 * A CVSS v3.0 or v3.1 vector. Temporal and environmental metrics are accepted and kept; the base
 * score ignores them.
 *
 * @param version "3.0" or "3.1"
 */
public record CvssV3(String version, String vector, Map<String, String> metrics, double baseScore) implements Cvss {

    static final MetricTable METRICS = MetricTable.of(8, "",
            "AV:N,A,L,P", "AC:L,H", "PR:N,L,H", "UI:N,R", "S:U,C", "C:H,L,N", "I:H,L,N", "A:H,L,N",
            "E:X,U,P,F,H", "RL:X,O,T,W,U", "RC:X,U,R,C",
            "CR:X,L,M,H", "IR:X,L,M,H", "AR:X,L,M,H",
            "MAV:X,N,A,L,P", "MAC:X,L,H", "MPR:X,N,L,H", "MUI:X,N,R", "MS:X,U,C",
            "MC:X,N,L,H", "MI:X,N,L,H", "MA:X,N,L,H");

    @Override
    public Severity severity() {
        return Severity.of(baseScore);
    }

    static CvssV3 parse(String input, String version, String body) throws CvssException {
        Map<String, String> m = METRICS.parse(input, body);
        return new CvssV3(version, MetricTable.vector("CVSS:" + version, m), m, baseScore(m));
    }

    /** The base equations of the v3.1 specification, section 7.1 (v3.0 has the same base equations). */
    private static double baseScore(Map<String, String> m) {
        boolean scopeChanged = m.get("S").equals("C");
        double iss = 1 - (1 - impact(m.get("C"))) * (1 - impact(m.get("I"))) * (1 - impact(m.get("A")));
        double impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * attackVector(m.get("AV")) * (m.get("AC").equals("L") ? 0.77 : 0.44)
                * privilegesRequired(m.get("PR"), scopeChanged) * (m.get("UI").equals("N") ? 0.85 : 0.62);
        if (impact <= 0) return 0.0;
        return scopeChanged
                ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
                : roundUp(Math.min(impact + exploitability, 10));
    }

    /**
     * The smallest one-decimal number not below {@code value}, as v3.1 Appendix A defines it:
     * working on an integer of 1/100000 steps first keeps, for example, 4.000000001 (a
     * floating-point artefact of an exact 4.0) from rounding up to 4.1. Used for v3.0 as well,
     * whose naive definition only differs on such artefacts.
     */
    static double roundUp(double value) {
        long scaled = Math.round(value * 100_000);
        if (scaled % 10_000 == 0) return scaled / 100_000.0;
        return (Math.floor(scaled / 10_000.0) + 1) / 10.0;
    }

    private static double attackVector(String v) {
        return switch (v) {
            case "N" -> 0.85;
            case "A" -> 0.62;
            case "L" -> 0.55;
            default -> 0.2;
        };
    }

    private static double privilegesRequired(String v, boolean scopeChanged) {
        return switch (v) {
            case "N" -> 0.85;
            case "L" -> scopeChanged ? 0.68 : 0.62;
            default -> scopeChanged ? 0.5 : 0.27;
        };
    }

    private static double impact(String v) {
        return switch (v) {
            case "H" -> 0.56;
            case "L" -> 0.22;
            default -> 0.0;
        };
    }
}

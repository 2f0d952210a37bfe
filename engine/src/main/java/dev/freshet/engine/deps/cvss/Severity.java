package dev.freshet.engine.deps.cvss;

/** The qualitative severity rating of a CVSS score. CVSS v2 knows only LOW, MEDIUM and HIGH. */
public enum Severity {
    NONE, LOW, MEDIUM, HIGH, CRITICAL;

    /** The v3.x and v4.0 rating scale: 0.0 none, 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical. */
    static Severity of(double score) {
        if (score == 0.0) return NONE;
        if (score < 4.0) return LOW;
        if (score < 7.0) return MEDIUM;
        if (score < 9.0) return HIGH;
        return CRITICAL;
    }

    /** The v2 scale as NVD publishes it: 0.0-3.9 low, 4.0-6.9 medium, 7.0-10.0 high. */
    static Severity ofV2(double score) {
        if (score < 4.0) return LOW;
        if (score < 7.0) return MEDIUM;
        return HIGH;
    }
}

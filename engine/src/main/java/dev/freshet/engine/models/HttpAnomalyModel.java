package dev.freshet.engine.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code http-anomaly} model: profiles of benign traffic and the threshold above which a
 * request's score is anomalous. Immutable once built: it is shared by every scoring thread, and
 * learning works on a copy.
 */
public final class HttpAnomalyModel {
    public static final String NAME = "http-anomaly";

    private final ProfileSet profiles;
    private final double threshold;

    public HttpAnomalyModel(ProfileSet profiles, double threshold) {
        this.profiles = Objects.requireNonNull(profiles);
        this.threshold = threshold;
    }

    public ProfileSet profiles() {
        return profiles;
    }

    public double threshold() {
        return threshold;
    }

    public HttpAnomalyModel withThreshold(double newThreshold) {
        return new HttpAnomalyModel(profiles, newThreshold);
    }

    /** Scores {@code request}; the findings explain the score, strongest first. */
    public Assessment assess(HttpRequest request) {
        List<Finding> findings = new ArrayList<>(4);
        profiles.judge(request, findings);
        findings.sort(Comparator.comparing(Finding::hard).thenComparingDouble(Finding::severity).reversed());
        return new Assessment(Assessment.score(findings, finding -> true), threshold, findings);
    }

    /** Only the score, for evaluation and calibration over many requests. */
    public double score(HttpRequest request) {
        List<Finding> findings = new ArrayList<>(4);
        profiles.judge(request, findings);
        return Assessment.score(findings, finding -> true);
    }
}

package dev.freshet.updates.community;

import java.util.List;
import java.util.Locale;

/**
 * How feedback turns into decisions, read from the policy file's {@code [feedback]} table (keys
 * left out keep these defaults):
 *
 * <pre>
 * [feedback]
 * min_feedback_threshold = 10     # weighted verdicts a rule needs before probation is considered
 * confidence_threshold = 0.9      # posterior probability that precision is below the floor
 * precision_floor = 0.6           # a rule whose findings are right less often than this is noisy
 * tenant_cap = 10.0               # most weight one tenant's verdicts carry on one rule
 * contributor_cap = 5.0           # most weight one contributor's verdicts carry on one rule
 * min_tenants = 2                 # tenants that must have judged a rule before it is demoted
 * demote_to = "INFO"              # severity of a rule on probation
 * schedule = "0 0 * * * *"        # when feedback is processed (cron with seconds)
 * anonymous_tenants = ["public"]  # tenants whose callers may give feedback anonymously
 * trusted_reputation = 3.0        # contributors at or above it skip review for the kinds below
 * auto_approve_kinds = ["test_case", "documentation"]
 * </pre>
 */
public record FeedbackPolicy(Integer minFeedbackThreshold, Double confidenceThreshold, Double precisionFloor, Double tenantCap,
                             Double contributorCap, Integer minTenants, String demoteTo, String schedule, List<String> anonymousTenants,
                             Double trustedReputation, List<String> autoApproveKinds) {
    public static final FeedbackPolicy DEFAULT = new FeedbackPolicy(10, 0.9, 0.6, 10.0, 5.0, 2, "INFO", "0 0 * * * *", List.of(), 3.0,
            List.of("test_case", "documentation"));

    /** Keys left out take the defaults; values out of range are refused with the key's name. */
    public FeedbackPolicy {
        minFeedbackThreshold = or(minFeedbackThreshold, 10);
        confidenceThreshold = or(confidenceThreshold, 0.9);
        precisionFloor = or(precisionFloor, 0.6);
        tenantCap = or(tenantCap, 10.0);
        contributorCap = or(contributorCap, 5.0);
        minTenants = or(minTenants, 2);
        demoteTo = or(demoteTo, "INFO");
        schedule = or(schedule, "0 0 * * * *");
        anonymousTenants = List.copyOf(or(anonymousTenants, List.of()));
        trustedReputation = or(trustedReputation, 3.0);
        autoApproveKinds = List.copyOf(or(autoApproveKinds, List.of("test_case", "documentation")));
        require(minFeedbackThreshold >= 1, "min_feedback_threshold must be at least 1");
        require(confidenceThreshold > 0.5 && confidenceThreshold < 1, "confidence_threshold must be above 0.5 and below 1");
        require(precisionFloor > 0 && precisionFloor < 1, "precision_floor must be between 0 and 1");
        require(tenantCap > 0, "tenant_cap must be positive");
        require(contributorCap > 0 && contributorCap <= tenantCap, "contributor_cap must be positive and at most tenant_cap");
        require(minTenants >= 1, "min_tenants must be at least 1");
        autoApproveKinds.forEach(ContributionKind::parse);
    }

    /** Whether a contribution of this kind may skip review for a contributor of this reputation. */
    public boolean skipsReview(ContributionKind kind, double reputation) {
        return reputation >= trustedReputation
                && autoApproveKinds.stream().anyMatch(k -> ContributionKind.parse(k) == kind);
    }

    public boolean allowsAnonymous(String tenant) {
        return anonymousTenants.contains(tenant);
    }

    String demotedSeverity() {
        return demoteTo.toUpperCase(Locale.ROOT);
    }

    private static <T> T or(T value, T otherwise) {
        return value == null ? otherwise : value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("[feedback] " + message);
        }
    }
}

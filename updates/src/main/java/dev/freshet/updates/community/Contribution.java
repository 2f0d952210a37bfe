package dev.freshet.updates.community;

import dev.freshet.updates.gate.GateReport;
import dev.freshet.updates.gate.Verdict;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A stored contribution: what was submitted, the gate's report on it, and its review.
 *
 * @param ruleIds     the rule ids its rule files hold
 * @param feedbackIds for a rule patch, the feedback it was made from; else empty
 */
public record Contribution(long id, Instant submittedAt, String tenant, String contributor, ContributionKind kind, String title,
                           String license, List<ContributedFile> files, List<String> ruleIds, State state, GateReport gateReport,
                           String reviewer, Instant reviewedAt, String reviewReason, List<Long> feedbackIds) {
    public Contribution {
        files = List.copyOf(files);
        ruleIds = List.copyOf(ruleIds);
        feedbackIds = List.copyOf(feedbackIds);
    }

    public enum State {
        GATE_REJECTED, PENDING_REVIEW, APPROVED, REJECTED;

        /** Reads {@code pending_review}, {@code pending-review} or {@code PENDING_REVIEW}. */
        public static State parse(String text) {
            String given = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            return Arrays.stream(values()).filter(s -> s.name().equals(given)).findFirst().orElseThrow(() -> new CommunityException(
                    "state must be gate_rejected, pending_review, approved or rejected, not '" + text + "'"));
        }

        public String lowerCase() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One file of a contribution: a rule file ({@code X.yaml}) or its test file beside it ({@code X.py}). */
    public record ContributedFile(String path, String content) {
    }

    /** The gate's reasons for refusing it, one line per refused rule; empty when it passed. */
    public List<String> gateReasons() {
        return gateReport.verdicts().stream().filter(v -> v.outcome() != Verdict.Outcome.ACCEPTED)
                .map(v -> v.ruleId() + " (" + v.path() + "): " + v.reason()).toList();
    }
}

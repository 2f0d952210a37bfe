package dev.freshet.app.dashboard;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One rule's health from feedback on its findings, as the rules page shows it: the estimated
 * precision with its 90 % interval, the weighted evidence, the not-useful rate, and whether the rule is
 * on probation. The feedback store supplies these; without one the page says no feedback is recorded.
 *
 * @param status        undecided, good or noisy
 * @param notUsefulRate null when no verdict on a finding exists
 * @param direction     improving, worsening, steady or unknown
 */
public record RuleHealthRow(String ruleId, String status, double precision, double precisionLow, double precisionHigh, double evidence,
                            Double notUsefulRate, boolean onProbation, String direction) {

    /** Rules on probation first, then noisy ones, then by rising precision: what needs a look comes first. */
    static List<RuleHealthRow> worstFirst(List<RuleHealthRow> rows) {
        return rows.stream().sorted(Comparator.comparing((RuleHealthRow r) -> !r.onProbation())
                .thenComparing(r -> !"noisy".equals(r.status())).thenComparingDouble(RuleHealthRow::precision)
                .thenComparing(RuleHealthRow::ruleId)).toList();
    }

    public String precisionText() {
        return percent(precision) + " (" + percent(precisionLow) + "–" + percent(precisionHigh) + ")";
    }

    public String evidenceText() {
        return String.format(Locale.ROOT, "%.1f", evidence);
    }

    public String notUsefulText() {
        return notUsefulRate == null ? "–" : percent(notUsefulRate);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}

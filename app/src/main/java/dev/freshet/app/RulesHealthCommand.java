package dev.freshet.app;

import dev.freshet.updates.community.FeedbackVerdict;
import dev.freshet.updates.community.Probation;
import dev.freshet.updates.release.ReleaseStore;
import dev.freshet.updates.community.RuleHealth;
import dev.freshet.updates.release.ReleaseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet rules health [RULE]}: what feedback says of the rules. */
@Command(name = "health", mixinStandardHelpOptions = true,
        header = "Show rules' health from feedback: precision with its uncertainty, not-useful rate, trend, probation.",
        description = {"Precision is estimated as a Beta posterior from the weighted verdicts (reputation-weighted, capped per tenant);",
                "the interval is 90 %% credible. The not-useful rate is (false positives + won't fix) / verdicts, as Tricorder measures it.",
                "With RULE: one rule with its trend per release and its probations."},
        footer = {"", "Examples:", "  freshet rules health", "  freshet rules health python.lang.eval --json",
                "  freshet rules health python.lang.eval --release 3f2a9c"})
final class RulesHealthCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "RULE_ID", arity = "0..1", description = "One rule (default: every rule with feedback).")
    String ruleId;

    @Option(names = "--release", paramLabel = "RELEASE", description = "Only feedback on findings of this release (needs RULE_ID).")
    String release;

    @Override
    public Integer call() {
        if (release != null && ruleId == null) {
            throw new UserError("--release needs a RULE_ID");
        }
        try (Parts parts = store.parts()) {
            var processor = parts.community().processor();
            if (ruleId == null) {
                List<RuleHealth> all = processor.health();
                StringBuilder text = new StringBuilder(String.format("%-40s %9s %15s %9s %8s %-10s %s%n", "RULE", "PRECISION", "90% INTERVAL",
                        "NOT-USEFUL", "VERDICTS", "STATUS", "TREND"));
                all.forEach(h -> text.append(line(h)));
                store.print(all, all.isEmpty() ? "no feedback yet\n" : text.toString());
                return ExitCodes.OK;
            }
            RuleHealth health = (release == null ? processor.health(ruleId) : processor.health(ruleId, release))
                    .orElseThrow(() -> new UserError("no feedback on rule '" + ruleId + "'" + (release == null ? "" : " in release " + release)));
            List<Probation> probations = processor.probations(Optional.of(ruleId));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("health", health);
            json.put("probations", probations);
            store.print(json, detail(health, probations));
            return ExitCodes.OK;
        } catch (ReleaseException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static String line(RuleHealth h) {
        return String.format(Locale.ROOT, "%-40s %9.2f %7.2f..%-6.2f %9s %8d %-10s %s%n", h.ruleId(), h.precision(), h.precisionLow(),
                h.precisionHigh(), h.notUsefulRate() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * h.notUsefulRate()),
                h.counts().values().stream().mapToInt(Integer::intValue).sum(),
                h.onProbation() ? "PROBATION" : h.status().name(), h.direction().name().toLowerCase(Locale.ROOT));
    }

    private static String detail(RuleHealth h, List<Probation> probations) {
        StringBuilder text = new StringBuilder(h.ruleId() + (h.releaseId() == null ? "" : " in release " + h.releaseId()) + "\n");
        text.append(String.format(Locale.ROOT, "  precision %.2f (90%% interval %.2f..%.2f), P(below floor) %.2f, status %s%s%n", h.precision(),
                h.precisionLow(), h.precisionHigh(), h.probabilityBelowFloor(), h.status(), h.onProbation() ? ", ON PROBATION" : ""));
        text.append(String.format(Locale.ROOT, "  verdicts: %d true positive, %d false positive, %d won't fix, %d missed; %d tenants, "
                        + "%.1f weighted%n", h.count(FeedbackVerdict.TRUE_POSITIVE), h.count(FeedbackVerdict.FALSE_POSITIVE),
                h.count(FeedbackVerdict.WONT_FIX), h.count(FeedbackVerdict.FALSE_NEGATIVE), h.tenants(), h.evidence()));
        if (h.notUsefulRate() != null) {
            text.append(String.format(Locale.ROOT, "  not useful: %.0f%%%n", 100 * h.notUsefulRate()));
        }
        if (!h.trend().isEmpty()) {
            text.append("  trend (").append(h.direction().name().toLowerCase(Locale.ROOT)).append("):\n");
            h.trend().forEach(p -> text.append(String.format(Locale.ROOT, "    %.12s  precision %.2f from %.1f weighted verdicts%n",
                    p.releaseId(), p.precision(), p.evidence())));
        }
        probations.forEach(p -> text.append("  probation ").append(p.id()).append(": from ").append(p.startedAt())
                .append(" by release ").append(p.releaseId() == null ? "-" : ReleaseStore.shortId(p.releaseId()))
                .append(p.active() ? " (active)" : p.endedAt() != null ? " to " + p.endedAt() + ", " + p.endReason()
                        : " (undone: its release was rolled back)")
                .append(", evidence ").append(p.evidence()).append('\n'));
        return text.toString();
    }
}

package dev.freshet.app;

import dev.freshet.updates.community.CommunityException;
import dev.freshet.updates.community.RulePatcher;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code freshet rules patch RULE}: a patch of a rule from its feedback, through the gate. */
@Command(name = "patch", mixinStandardHelpOptions = true,
        header = "Propose a patch of a rule from its feedback and release it (shadow first) if the gate accepts it.",
        description = {"False positives become pattern-nots, missed findings added patterns. The gate checks the patched rule on",
                "its own tests plus the feedback (true positives must still match, false positives must not) and its budgets."},
        footer = {"", "Exit codes: 0 accepted (or nothing to patch), 1 rejected by the gate, 2 bad input.", "",
                "Examples:", "  freshet rules patch python.lang.print-debug", "  freshet rules patch python.lang.print-debug --no-release --json"})
final class RulesPatchCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(paramLabel = "RULE_ID", description = "The rule to patch.")
    String ruleId;

    @Option(names = "--no-release", description = "Only check and publish the patch; the next update check releases it.")
    boolean noRelease;

    @Override
    public Integer call() {
        try (Parts parts = store.parts()) {
            Optional<RulePatcher.Proposal> proposal = parts.community().patcher().propose(ruleId, !noRelease);
            if (proposal.isEmpty()) {
                store.print(Map.of("rule_id", ruleId, "proposed", false),
                        "nothing to patch: rule " + ruleId + " has no false positive or missed finding with code");
                return ExitCodes.OK;
            }
            RulePatcher.Proposal p = proposal.get();
            StringBuilder text = new StringBuilder("patch of " + ruleId + " (contribution " + p.contribution().id() + "): " + p.falsePositives()
                    + " false positive(s) excluded, " + p.missed() + " missed finding(s) added, " + p.truePositives()
                    + " confirmed true positive(s) kept: " + (p.accepted() ? "accepted" : "rejected by the gate") + "\n");
            p.contribution().gateReasons().forEach(reason -> text.append("  gate: ").append(reason).append('\n'));
            p.releaseId().ifPresent(id -> text.append("  released as ").append(id, 0, 12).append(", rolling out from shadow\n"));
            store.print(p, text.toString());
            return p.accepted() ? ExitCodes.OK : ExitCodes.FINDINGS;
        } catch (CommunityException e) {
            throw new UserError(e.getMessage());
        }
    }
}

package dev.freshet.app;

import dev.freshet.updates.generation.ResearchMaintenance;
import dev.freshet.updates.generation.RuleOutcome;
import dev.freshet.updates.release.ReleaseStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code freshet research ...}: the research job that turns new CVEs into global rules. */
@Command(name = "research", mixinStandardHelpOptions = true,
        header = "The research job: recent CVEs of supported stacks into global rules.",
        description = {"research_maintenance runs weekly under 'update watch' and 'serve'; 'research run' runs it now.",
                "It reads the CVEs the feeds stored ('freshet feeds sync'), makes a rule per framework and weakness they",
                "concern, and releases them on the rules track through the gate and the rollout plan of the policy."},
        subcommands = ResearchCommand.Run.class,
        footer = {"", "Example:", "  freshet research run --days 30"})
final class ResearchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true, header = "Run research_maintenance now.",
            footer = {"", "Examples:", "  freshet research run", "  freshet research run --days 7 --json"})
    static final class Run implements Callable<Integer> {
        @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "CVEs published or changed in the last N days (default: ${DEFAULT-VALUE}).")
        int days;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() throws IOException {
            if (days < 1) {
                throw new UserError("--days must be at least 1, not " + days);
            }
            try (Parts parts = store.parts()) {
                ResearchMaintenance.Report report = parts.research().run(Duration.ofDays(days), parts.policy().rolloutPlan());
                StringBuilder text = new StringBuilder(report.advisoriesRead() + " recent CVE record(s) read\n");
                for (RuleOutcome rule : report.rules()) {
                    text.append(String.format(Locale.ROOT, "%-9s %s for %s%s%n", rule.outcome(), rule.id(), report.relevant().get(rule.id()),
                            rule.validated() ? "" : ": " + rule.reason()));
                }
                text.append(report.releaseId() == null ? "nothing released" : "release " + ReleaseStore.shortId(report.releaseId())
                        + (report.rolloutId() == null ? " is live" : " is rolling out (rollout " + report.rolloutId() + ")"));
                store.print(report, text.toString());
                return ExitCodes.OK;
            }
        }
    }
}

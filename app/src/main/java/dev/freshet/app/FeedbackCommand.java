package dev.freshet.app;

import dev.freshet.updates.community.CommunityException;
import dev.freshet.updates.community.FeedbackProcessor;
import dev.freshet.updates.community.FeedbackRecord;
import dev.freshet.updates.community.FeedbackVerdict;
import dev.freshet.updates.community.Giver;
import dev.freshet.updates.community.NewFeedback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet feedback ...}: verdicts on findings, which rule health and probation are made from. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        header = "Feedback on findings: true or false positives, won't fix, missed findings.",
        description = {"Verdicts on findings, weighted by their contributor's reputation, make each rule's health;",
                "a rule confidently below the precision floor goes on probation (see 'freshet rules health')."},
        subcommands = {FeedbackCommand.Add.class, FeedbackCommand.ListFeedback.class, FeedbackCommand.Process.class},
        footer = {"", "Examples:", "  freshet feedback add python.lang.eval --verdict false_positive --fingerprint 3f2a...",
                "  freshet feedback add python.lang.eval --verdict false_negative --code 'eval(x)' --language python",
                "  freshet feedback list --rule python.lang.eval"})
final class FeedbackCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, header = "Give a verdict on a finding, or report one the rule missed.",
            description = "A finding is named by its fingerprint (JSON 'fingerprint', SARIF partialFingerprints) or by --path and --code.",
            footer = {"", "Examples:", "  freshet feedback add no-eval --verdict true_positive --path app/a.py --code 'eval(q)'",
                    "  freshet feedback add no-eval --verdict false_negative --code-file missed.py --comment 'aliased eval'"})
    static final class Add implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "RULE_ID", description = "The rule the finding is of (or should have been).")
        String ruleId;

        @Option(names = "--verdict", required = true, paramLabel = "VERDICT",
                description = "true_positive, false_positive, wont_fix or false_negative.")
        String verdict;

        @Option(names = "--fingerprint", paramLabel = "HEX", description = "The finding's fingerprint from a report.")
        String fingerprint;

        @Option(names = "--path", paramLabel = "PATH", description = "The finding's path as the report gives it.")
        String path;

        @Option(names = "--code", paramLabel = "CODE", description = "The matched code, or the code the rule missed.")
        String code;

        @Option(names = "--code-file", paramLabel = "FILE", description = "Read the code from this file instead.")
        Path codeFile;

        @Option(names = "--language", paramLabel = "LANG", description = "The code's language (for a missed finding).")
        String language;

        @Option(names = "--release", paramLabel = "RELEASE", description = "The release the finding came from (default: the active one).")
        String release;

        @Option(names = "--accuracy", paramLabel = "1-5", description = "How accurate the rule is, 1 to 5.")
        Integer accuracy;

        @Option(names = "--usefulness", paramLabel = "1-5", description = "How useful the finding is, 1 to 5.")
        Integer usefulness;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
        String comment;

        @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "local", description = "The tenant the feedback is from (default: local).")
        String tenant;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                NewFeedback feedback = new NewFeedback(ruleId, FeedbackVerdict.parse(verdict), fingerprint, path, code(), language, release,
                        accuracy, usefulness, comment);
                FeedbackRecord stored = parts.community().feedback().add(new Giver(tenant, Giver.COMMAND_LINE), List.of(feedback)).getFirst();
                store.print(stored, "stored feedback " + stored.id() + ": " + stored.verdict().lowerCase() + " on " + stored.ruleId()
                        + (stored.fingerprint() == null ? "" : " (finding " + stored.fingerprint() + ")"));
                return ExitCodes.OK;
            } catch (CommunityException e) {
                throw new UserError(e.getMessage());
            }
        }

        private String code() {
            if (codeFile == null) {
                return code;
            }
            if (code != null) {
                throw new UserError("give --code or --code-file, not both");
            }
            try {
                return Files.readString(codeFile);
            } catch (IOException e) {
                throw new UserError("cannot read --code-file " + codeFile + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "List feedback, newest first.",
            footer = {"", "Example:", "  freshet feedback list --rule no-eval --limit 20 --json"})
    static final class ListFeedback implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--rule", paramLabel = "RULE_ID", description = "Only this rule's.")
        String ruleId;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default: 50).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new UserError("--limit must be at least 1");
            }
            try (Parts parts = store.parts()) {
                List<FeedbackRecord> records = parts.community().feedback().list(Optional.empty(), Optional.ofNullable(ruleId), limit);
                StringBuilder text = new StringBuilder();
                for (FeedbackRecord r : records) {
                    text.append(String.format("%-6d %-15s %-40s %-15s %s/%s%n", r.id(), r.verdict().lowerCase(), r.ruleId(),
                            r.fingerprint() == null ? "-" : r.fingerprint().substring(0, 12), r.tenant(), r.contributor()));
                }
                store.print(records, records.isEmpty() ? "no feedback\n" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "process", mixinStandardHelpOptions = true,
            header = "Process the feedback now, as the schedule does: probation begun or ended, reputation settled.",
            footer = {"", "Example:", "  freshet feedback process --json"})
    static final class Process implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                FeedbackProcessor.BatchResult batch = parts.community().processor().runBatch();
                store.print(batch, "batch " + batch.batch() + ": " + batch.records() + " records, " + batch.rulesJudged() + " rules judged; "
                        + "probation begun " + batch.probationsStarted() + ", ended " + batch.probationsEnded() + "; "
                        + batch.reputationChanges().size() + " reputations changed (" + batch.durationMillis() + " ms)");
                return ExitCodes.OK;
            }
        }
    }
}

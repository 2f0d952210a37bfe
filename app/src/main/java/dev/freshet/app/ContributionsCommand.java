package dev.freshet.app;

import dev.freshet.updates.community.CommunityException;
import dev.freshet.updates.community.Contribution;
import dev.freshet.updates.community.Contribution.ContributedFile;
import dev.freshet.updates.community.ContributionKind;
import dev.freshet.updates.community.Giver;
import dev.freshet.updates.community.NewContribution;
import dev.freshet.updates.community.Reputation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet contributions ...}: contributed rules through the gate and review into the community source. */
@Command(name = "contributions", mixinStandardHelpOptions = true,
        header = "Contributed rules: submit, review, publish into the community source.",
        description = {"A contribution is a rule file with its test file beside it and a license; the validation gate",
                "runs at once. A maintainer approves or rejects what passed; approved rules are published into the",
                "community rule source and released by the next update check."},
        subcommands = {ContributionsCommand.Submit.class, ContributionsCommand.ListContributions.class, ContributionsCommand.Show.class,
                ContributionsCommand.Approve.class, ContributionsCommand.Reject.class, ContributionsCommand.Contributors.class},
        footer = {"", "Examples:", "  freshet contributions submit --kind new_rule --title 'pickle.loads' --license MIT pickle.yaml pickle.py",
                "  freshet contributions list --state pending_review", "  freshet contributions approve 3"})
final class ContributionsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, header = "Submit a rule with its tests; prints the gate's report.",
            footer = {"", "Exit codes: 0 passed the gate (waiting for review or approved), 1 rejected by the gate, 2 bad input.", "",
                    "Example:", "  freshet contributions submit --kind new_rule --title 'flag pickle.loads' --license MIT rules/pickle.yaml rules/pickle.py"})
    static final class Submit implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--kind", required = true, paramLabel = "KIND",
                description = "new_rule, rule_improvement, bug_fix, test_case or documentation.")
        String kind;

        @Option(names = "--title", required = true, paramLabel = "TEXT", description = "One line saying what it does.")
        String title;

        @Option(names = "--license", required = true, paramLabel = "SPDX", description = "The license, e.g. MIT or Apache-2.0.")
        String license;

        @Option(names = "--as", paramLabel = "CONTRIBUTOR", defaultValue = Giver.COMMAND_LINE, description = "Who contributes (default: cli).")
        String contributor;

        @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "local", description = "The contributor's tenant (default: local).")
        String tenant;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "The rule file(s) and their test files.")
        List<Path> files;

        @Override
        public Integer call() {
            List<ContributedFile> contributed = new ArrayList<>();
            for (Path file : files) {
                try {
                    contributed.add(new ContributedFile(file.getFileName().toString(), Files.readString(file)));
                } catch (IOException e) {
                    throw new UserError("cannot read " + file + ": " + e.getMessage());
                }
            }
            try (Parts parts = store.parts()) {
                Contribution c = parts.community().contributions().submit(new Giver(tenant, contributor),
                        new NewContribution(ContributionKind.parse(kind), title, license, contributed));
                store.print(c, text(c));
                return c.state() == Contribution.State.GATE_REJECTED ? ExitCodes.FINDINGS : ExitCodes.OK;
            } catch (CommunityException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "List contributions, newest first.",
            footer = {"", "Example:", "  freshet contributions list --state pending_review --json"})
    static final class ListContributions implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--state", paramLabel = "STATE", description = "gate_rejected, pending_review, approved or rejected.")
        String state;

        @Override
        public Integer call() {
            Optional<Contribution.State> wanted = Optional.ofNullable(state).map(ContributionsCommand::state);
            try (Parts parts = store.parts()) {
                List<Contribution> all = parts.community().contributions().list(wanted);
                StringBuilder text = new StringBuilder();
                for (Contribution c : all) {
                    text.append(String.format("%-5d %-15s %-17s %-30s %s%n", c.id(), c.state().lowerCase(), c.kind().lowerCase(),
                            String.join(",", c.ruleIds()), c.title()));
                }
                store.print(all, all.isEmpty() ? "no contributions\n" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "Show a contribution with the gate's report and its review.",
            footer = {"", "Example:", "  freshet contributions show 3 --json"})
    static final class Show implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID", description = "The contribution's id.")
        long id;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                Contribution c = parts.community().contributions().find(id)
                        .orElseThrow(() -> new UserError("no contribution " + id + "; see 'freshet contributions list'"));
                store.print(c, text(c));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            header = "Approve a contribution waiting for review: it is published into the community source.",
            footer = {"", "Example:", "  freshet contributions approve 3 --reason 'clear and well tested'"})
    static final class Approve implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID", description = "The contribution's id.")
        long id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "A note for the contributor.")
        String reason;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                Contribution c = parts.community().contributions().approve(id, Giver.COMMAND_LINE, reason);
                store.print(c, text(c) + "published into " + parts.community().contributions().directory()
                        + "; the next update check releases it ('freshet update check').");
                return ExitCodes.OK;
            } catch (CommunityException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, header = "Reject a contribution waiting for review, with a reason.",
            footer = {"", "Example:", "  freshet contributions reject 4 --reason 'duplicates python.lang.eval'"})
    static final class Reject implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID", description = "The contribution's id.")
        long id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, so the contributor can act on it.")
        String reason;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                Contribution c = parts.community().contributions().reject(id, Giver.COMMAND_LINE, reason);
                store.print(c, text(c));
                return ExitCodes.OK;
            } catch (CommunityException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "contributors", mixinStandardHelpOptions = true, header = "Show contributors by reputation, which weights their feedback.",
            description = "With CONTRIBUTOR: their reputation with every gain and loss and what earned it.",
            footer = {"", "Examples:", "  freshet contributions contributors --json", "  freshet contributions contributors key-3f2a"})
    static final class Contributors implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(arity = "0..1", paramLabel = "CONTRIBUTOR", description = "One contributor (a key id, cli, anonymous).")
        String contributor;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                if (contributor != null) {
                    Reputation.Account account = parts.community().reputation().account(contributor).orElseThrow(() -> new UserError(
                            "contributor '" + contributor + "' has no reputation entry; see 'freshet contributions contributors'"));
                    StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s: reputation %.2f%n", contributor,
                            account.standing().reputation()));
                    account.entries().forEach(e -> text.append(String.format(Locale.ROOT, "  %s  %+.2f  %s%n", e.recordedAt(), e.delta(),
                            e.reason())));
                    store.print(account, text.toString());
                    return ExitCodes.OK;
                }
                List<Reputation.Standing> standings = parts.community().reputation().standings();
                StringBuilder text = new StringBuilder();
                for (Reputation.Standing s : standings) {
                    text.append(String.format("%-30s reputation %.2f  (%d approved, %d rejected, %d entries)%n", s.contributor(), s.reputation(),
                            s.approved(), s.rejected(), s.entries()));
                }
                store.print(standings, standings.isEmpty() ? "no contributor has a reputation entry yet\n" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    private static Contribution.State state(String given) {
        try {
            return Contribution.State.parse(given);
        } catch (CommunityException e) {
            throw new UserError("--" + e.getMessage());
        }
    }

    private static String text(Contribution c) {
        StringBuilder text = new StringBuilder("contribution " + c.id() + " (" + c.kind().lowerCase() + ", " + String.join(", ", c.ruleIds())
                + "): " + c.state().lowerCase() + "\n");
        c.gateReasons().forEach(reason -> text.append("  gate: ").append(reason).append('\n'));
        if (c.reviewer() != null) {
            text.append("  reviewed by ").append(c.reviewer()).append(c.reviewReason() == null ? "" : ": " + c.reviewReason()).append('\n');
        }
        return text.toString();
    }
}

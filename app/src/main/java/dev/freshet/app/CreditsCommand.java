package dev.freshet.app;

import dev.freshet.updates.billing.CreditException;
import dev.freshet.updates.billing.Credits;
import dev.freshet.updates.billing.LedgerEntry;
import dev.freshet.updates.billing.Tier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code freshet credits ...}: tenants' plans and credits for custom rules. */
@Command(name = "credits", mixinStandardHelpOptions = true,
        header = "Tenants' plans and credits for custom rules: grant, read balances and ledgers.",
        description = {"Custom rules cost 1 credit per requested rule, charged when the request is accepted, and a success fee per",
                "validated rule (standard 2, pro 4, max 9; offline as configured). The ledger is append-only."},
        subcommands = {CreditsCommand.Grant.class, CreditsCommand.Balance.class, CreditsCommand.Ledger.class, CreditsCommand.Plan.class},
        footer = {"", "Examples:", "  freshet credits grant acme 100", "  freshet credits balance acme", "  freshet credits ledger acme --json",
                "  freshet credits plan acme premium"})
final class CreditsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs {@code work} on the store's credits, turning refusals into one-line errors (exit 2). */
    private static Integer withCredits(StoreOptions store, Function<Credits, Integer> work) {
        try (Parts parts = store.parts()) {
            return work.apply(parts.updates().credits());
        } catch (CreditException e) {
            throw new UserError(e.getMessage() + "; see 'freshet tenants list'");
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, header = "Grant credits to a tenant.",
            footer = {"", "Example:", "  freshet credits grant acme 100 --reason 'March invoice' --key invoice-2026-03"})
    static final class Grant implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TENANT")
        String tenant;

        @Parameters(index = "1", paramLabel = "AMOUNT", description = "A positive number of credits.")
        long amount;

        @Option(names = "--key", paramLabel = "KEY", description = "Idempotency key: granting again with the same key grants once.")
        String key;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the ledger.")
        String reason;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return withCredits(store, credits -> {
                LedgerEntry entry = credits.grant(tenant, amount, key == null ? "grant-" + UUID.randomUUID() : key,
                        reason == null ? "granted by an admin" : reason);
                store.print(entry, "granted " + entry.amount() + " credits to " + tenant + "; balance " + entry.balanceAfter());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true, header = "A tenant's plan and credit balance.",
            footer = {"", "Example:", "  freshet credits balance acme --json"})
    static final class Balance implements Callable<Integer> {
        @Parameters(paramLabel = "TENANT", defaultValue = "default", description = "Default: ${DEFAULT-VALUE}.")
        String tenant;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return withCredits(store, credits -> {
                long balance = credits.balance(tenant);
                Tier tier = credits.tier(tenant);
                store.print(Map.of("tenant", tenant, "plan", tier.id(), "balance", balance),
                        tenant + ": " + balance + " credits, plan " + tier.id());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "ledger", mixinStandardHelpOptions = true, header = "A tenant's credit ledger, oldest entry first.",
            footer = {"", "Example:", "  freshet credits ledger acme"})
    static final class Ledger implements Callable<Integer> {
        @Parameters(paramLabel = "TENANT", defaultValue = "default", description = "Default: ${DEFAULT-VALUE}.")
        String tenant;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return withCredits(store, credits -> {
                List<LedgerEntry> entries = credits.ledger(tenant);
                store.print(entries, entries.isEmpty() ? "no entries for " + tenant : entries.stream()
                        .map(e -> String.format(Locale.ROOT, "%4d  %s  %-10s %+6d  balance %6d  %s", e.seq(), e.at(),
                                e.kind().name().toLowerCase(Locale.ROOT), e.amount(), e.balanceAfter(), e.reason() == null ? "" : e.reason()))
                        .collect(Collectors.joining("\n")));
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true, header = "Show or change a tenant's plan: free, standard or premium.",
            footer = {"", "Examples:", "  freshet credits plan acme", "  freshet credits plan acme premium"})
    static final class Plan implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TENANT")
        String tenant;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PLAN", description = "free, standard or premium; omit to show the plan.")
        String plan;

        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            return withCredits(store, credits -> {
                if (plan == null) {
                    Tier tier = credits.tier(tenant);
                    store.print(Map.of("tenant", tenant, "plan", tier.id()), tenant + ": plan " + tier.id());
                } else {
                    Tier tier = Tier.of(plan);
                    Tier before = credits.setTier(tenant, tier);
                    store.print(Map.of("tenant", tenant, "plan", tier.id(), "previous", before.id()),
                            tenant + ": plan " + tier.id() + (before == tier ? " (unchanged)" : " (was " + before.id() + ")"));
                }
                return ExitCodes.OK;
            });
        }
    }
}

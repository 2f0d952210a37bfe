package dev.freshet.app;

import dev.freshet.updates.access.AccessException;
import dev.freshet.updates.access.AccessStore;
import dev.freshet.updates.access.ApiKey;
import dev.freshet.updates.access.NewKey;
import dev.freshet.updates.access.Role;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freshet keys ...}: API keys of the HTTP service, made and revoked from the command line. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        header = "API keys of 'freshet serve' and their roles.",
        description = {"API keys of 'freshet serve': roles global-admin (everything, every tenant), admin (sources, overrides,",
                "its tenant's keys), operator (updates, syncs, scans, projects) and viewer (reads). A key is shown once, when it",
                "is made; only its hash is stored."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
        footer = {"", "Examples:", "  freshet keys create --tenant acme --role operator --label ci", "  freshet keys list",
                "  freshet keys revoke 3f2a9c01b2c4"})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a key (and its tenant, if new).",
            footer = {"", "Example:", "  freshet keys create --tenant acme --role viewer"})
    static final class Create implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "Lower-case letters, digits or '-'.")
        String tenant;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "global-admin, admin, operator or viewer.")
        String role;

        @Option(names = "--label", paramLabel = "TEXT", description = "What the key is for.")
        String label;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                AccessStore access = parts.updates().access();
                Role parsed = Role.parse(role);
                boolean newTenant = access.tenant(tenant).isEmpty();
                if (newTenant) {
                    access.createTenant(tenant);
                }
                NewKey made = access.createKey(tenant, parsed, label);
                Map<String, Object> json = made.key().description();
                json.put("key", made.secret());
                store.print(json, (newTenant ? "created tenant " + tenant + "\n" : "") + "key " + made.key().id() + " ("
                        + parsed.lowerCase() + ", tenant " + tenant + "); it is shown only now:\n" + made.secret());
                return ExitCodes.OK;
            } catch (AccessException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).",
            footer = {"", "Example:", "  freshet keys list --tenant acme"})
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's keys.")
        String tenant;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                List<ApiKey> keys = parts.updates().access().keys(tenant);
                StringBuilder text = new StringBuilder();
                keys.forEach(k -> text.append(String.format("%-12s %-16s %-8s %s%s%s%n", k.id(), k.tenant(), k.role().lowerCase(),
                        k.createdAt(), k.label() == null ? "" : "  " + k.label(), k.valid() ? "" : "  REVOKED " + k.revokedAt())));
                store.print(keys.stream().map(ApiKey::description).toList(), keys.isEmpty() ? "no keys\n" : text.toString());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id; a running service refuses it within seconds.",
            footer = {"", "Example:", "  freshet keys revoke 4f2a9c1e"})
    static final class Revoke implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                if (!parts.updates().access().revoke(id)) {
                    throw new UserError("no valid key with id '" + id + "'; see 'freshet keys list'");
                }
            }
            store.print(Map.of("revoked", id), "revoked key " + id);
            return ExitCodes.OK;
        }
    }
}

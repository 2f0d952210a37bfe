package dev.freshet.app;

import dev.freshet.updates.access.AccessException;
import dev.freshet.updates.access.Actor;
import dev.freshet.updates.access.Tenant;
import dev.freshet.updates.access.TenantRemoval;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code freshet tenants ...}: the service's tenants, listed and deleted from the command line. */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = {"Tenants of 'freshet serve': each owns its keys, projects and scans; knowledge is shared.",
                "'freshet keys create --tenant NAME' makes a tenant with its first key."},
        subcommands = {TenantsCommand.ListTenants.class, TenantsCommand.Delete.class},
        footer = {"", "Examples:", "  freshet tenants list", "  freshet tenants delete acme"})
final class TenantsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants.",
            footer = {"", "Example:", "  freshet tenants list --json"})
    static final class ListTenants implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                List<Tenant> tenants = parts.updates().access().tenants();
                store.print(tenants, tenants.isEmpty() ? "no tenants\n"
                        : tenants.stream().map(t -> t.name() + "  created " + t.createdAt()).collect(Collectors.joining("\n")));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a tenant: its keys are revoked (a running service refuses them within seconds), its projects and scans removed.",
            footer = {"", "Example:", "  freshet tenants delete acme"})
    static final class Delete implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Parts parts = store.parts()) {
                TenantRemoval removal = parts.updates().access().deleteTenant(Actor.STORE_OWNER, name);
                store.print(removal, "deleted tenant " + name + ": " + removal.keysRevoked() + " key(s) revoked, "
                        + removal.projectsRemoved() + " project(s) and " + removal.scansRemoved() + " scan(s) removed");
                return ExitCodes.OK;
            } catch (AccessException e) {
                throw new UserError(e.getMessage() + "; see 'freshet tenants list'");
            }
        }
    }
}

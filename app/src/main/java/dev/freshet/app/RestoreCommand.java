package dev.freshet.app;

import dev.freshet.updates.store.Backup;
import dev.freshet.updates.store.BackupException;
import dev.freshet.updates.store.StoreLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet restore --from FILE}: a backup put back as the data directory's store and files. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        header = "Restore a backup made by 'freshet backup' into the data directory, after verifying every entry.",
        description = {"Every entry is checked against the manifest's SHA-256 and size, and names that would leave the",
                "data directory are refused, before anything is written. A data directory that has a store is kept",
                "unless --force (stop Freshet first)."},
        footer = {"", "Example:", "  freshet restore --from /backups/freshet-2026-03-01.zip --data-dir /var/lib/freshet"})
final class RestoreCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--from", required = true, paramLabel = "FILE", description = "The archive 'freshet backup' wrote.")
    Path from;

    @Option(names = "--force", description = "Replace the store the data directory has.")
    boolean force;

    @Override
    public Integer call() {
        Settings settings = store.settings();
        if (!(settings.storeLocation() instanceof StoreLocation.SqliteFile)) {
            throw new UserError("the configured store is PostgreSQL; restore it with pg_restore:\n" + Backup.POSTGRES_PROCEDURE);
        }
        try {
            Backup.Manifest manifest = Backup.restore(from, settings.dataDir(), force, Backup.Limits.DEFAULT);
            store.print(Map.of("data_dir", settings.dataDir().toAbsolutePath().toString(), "manifest", manifest),
                    "restored " + manifest.entries().size() + " entries (" + manifest.bytes() + " bytes, backup of "
                            + manifest.createdAt() + ") into " + settings.dataDir());
            return ExitCodes.OK;
        } catch (BackupException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot restore " + from + ": " + e.getMessage());
        }
    }
}

package dev.freshet.app;

import dev.freshet.updates.store.Backup;
import dev.freshet.updates.store.BackupException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet backup --to FILE}: a consistent copy of the embedded store and its files, taken while Freshet runs. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        header = "Write a consistent backup of the store and the data directory's files to one archive, while Freshet runs.",
        description = {"The SQLite store is copied in one read transaction (VACUUM INTO); models, trusted metadata and",
                "the policy are added as files, each with its SHA-256 in the archive's manifest. Git caches and scan",
                "uploads are left out. A PostgreSQL store is backed up with pg_dump: the command prints how."},
        footer = {"", "Example:", "  freshet backup --to /backups/freshet-$(date +%%F).zip"})
final class BackupCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The archive to write (replaced if it exists).")
    Path to;

    @Override
    public Integer call() {
        try (Parts parts = store.parts()) {
            Backup.Manifest manifest = Backup.create(parts.updates().database(), parts.settings().dataDir(), to, Instant.now());
            store.print(Map.of("archive", to.toAbsolutePath().toString(), "manifest", manifest),
                    "backup written to " + to + ": " + manifest.entries().size() + " entries, " + manifest.bytes() + " bytes");
            return ExitCodes.OK;
        } catch (BackupException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot write the backup " + to + ": " + e.getMessage());
        }
    }
}

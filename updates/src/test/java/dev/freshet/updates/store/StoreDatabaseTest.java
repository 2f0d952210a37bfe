package dev.freshet.updates.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreDatabaseTest {
    /** Every migration on the class path, applied once each (versions may have gaps while branches merge). */
    private static final java.util.List<String> ALL_VERSIONS = migrationVersions().stream().map(String::valueOf).toList();

    private static final List<String> TABLES = List.of("activations", "blobs", "overrides", "pending_updates",
            "release_rules", "releases", "source_metadata", "sources", "projects", "project_findings");

    @TempDir
    Path tmp;

    @Test
    void freshStoreIsMigratedInWalModeWithForeignKeys() {
        Path dataDir = tmp.resolve("data/nested");
        try (Database database = Database.open(dataDir)) {
            assertThat(database.file()).isEqualTo(dataDir.toAbsolutePath().resolve("freshet.db")).isRegularFile();
            database.jdbi().useHandle(h -> {
                assertThat(tables(h)).containsAll(TABLES);
                assertThat(appliedVersions(h)).containsExactlyElementsOf(ALL_VERSIONS);
                assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()).isEqualToIgnoringCase("wal");
                assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()).isEqualTo(1);
                assertThat(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one()).isEqualTo(Database.BUSY_TIMEOUT_MS);
                // Foreign keys are enforced: a release rule needs its release and its blob.
                assertThatThrownBy(() -> h.execute(
                        "INSERT INTO release_rules (release_id, rule_id, source, path, sha256) VALUES ('x', 'r', 's', 'p', 'h')"))
                        .hasMessageContaining("FOREIGN KEY");
            });
        }
    }

    /** Under the usual umask 022 files would be world-readable; the store makes them its owner's alone. */
    @Test
    void storeFilesAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path dataDir = tmp.resolve("data/nested");
        try (Database database = Database.open(dataDir)) {
            database.jdbi().useHandle(h -> h.execute("INSERT INTO blobs (sha256, content, size, created_at) VALUES ('a', 'x', 1, 1)"));
            assertThat(permissions(tmp.resolve("data"))).isEqualTo("rwx------");
            assertThat(permissions(dataDir)).isEqualTo("rwx------");
            for (String name : List.of("freshet.db", "freshet.db-wal", "freshet.db-shm")) {
                assertThat(dataDir.resolve(name)).exists();
                assertThat(permissions(dataDir.resolve(name))).as(name).isEqualTo("rw-------");
            }
        }
        // A store an older version left world-readable is restricted when it is opened.
        Files.setPosixFilePermissions(dataDir.resolve("freshet.db"), PosixFilePermissions.fromString("rw-r--r--"));
        try (Database database = Database.open(dataDir)) {
            assertThat(permissions(dataDir.resolve("freshet.db"))).isEqualTo("rw-------");
        }
    }

    private static String permissions(Path path) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void reopeningKeepsDataAndAppliesNothingTwice() {
        try (Database database = Database.open(tmp)) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO blobs (sha256, content, size, created_at) VALUES ('abc', 'rules: []', 9, 1)"));
        }
        for (int i = 0; i < 2; i++) {
            try (Database database = Database.open(tmp)) {
                database.jdbi().useHandle(h -> {
                    assertThat(appliedVersions(h)).containsExactlyElementsOf(ALL_VERSIONS);
                    assertThat(h.createQuery("SELECT content FROM blobs WHERE sha256 = 'abc'").mapTo(String.class).one())
                            .isEqualTo("rules: []");
                });
            }
        }
    }

    @Test
    void theSchemaVersionNamesTheNewestMigration() {
        assertThat(Database.SCHEMA_VERSION).isEqualTo(String.valueOf(migrationVersions().getLast()));
    }

    /** The versions of db/migration/V{n}__*.sql and V{n}_{m}__*.sql as Flyway records them ("13.1"), ascending. */
    static List<String> migrationVersions() {
        try (var files = Files.list(Path.of(Database.class.getResource("/db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+(_\\d+)?__.+\\.sql"))
                    .map(name -> MigrationVersion.fromVersion(name.substring(1, name.indexOf("__")))).sorted()
                    .map(MigrationVersion::getVersion).toList();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailedMigrationIsReportedNotSkipped() {
        try (Database database = Database.open(tmp)) {
            database.jdbi().useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '1'"));
        }

        assertThatThrownBy(() -> Database.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot bring database " + tmp.resolve(Database.FILE_NAME).toAbsolutePath())
                .hasMessageContaining("failed migration");
    }

    @Test
    void aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws Exception {
        Path file = tmp.resolve(Database.FILE_NAME);
        byte[] garbage = "this is not a database, it is a shopping list\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);

        assertThatThrownBy(() -> Database.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a usable Freshet database")
                .hasMessageContaining("Move it away");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void aStoreWithADamagedHeaderIsRefused() throws Exception {
        try (Database database = Database.open(tmp)) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO blobs (sha256, content, size, created_at) VALUES ('abc', 'x', 1, 1)"));
        }
        Path file = tmp.resolve(Database.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 16; i++) {
            bytes[i] = 'X'; // "SQLite format 3\0" is gone
        }
        Files.write(file, bytes);

        assertThatThrownBy(() -> Database.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not a usable Freshet database");
    }

    @Test
    void anotherProgramsSqliteDatabaseIsNotMigrated() throws Exception {
        Path file = tmp.resolve(Database.FILE_NAME);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE contacts (name TEXT)");
            statement.execute("INSERT INTO contacts VALUES ('ada')");
        }

        assertThatThrownBy(() -> Database.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another program")
                .hasMessageContaining("contacts");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("contacts");
            assertThat(rows.next()).as("no Freshet tables added").isFalse();
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("data"), "plain file");

        assertThatThrownBy(() -> Database.open(notADirectory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(notADirectory.toString())
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> Database.open(notADirectory.resolve("below")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot create data directory");
    }

    private static List<String> tables(Handle h) {
        return h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").mapTo(String.class).list();
    }

    private static List<String> appliedVersions(Handle h) {
        return h.createQuery("SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class).list();
    }
}

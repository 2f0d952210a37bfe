package dev.freshet.updates.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The same migrations and checks as on SQLite, on a real PostgreSQL server. */
@ExtendWith(TestStores.DropAfterEach.class)
class PostgresDatabaseTest {
    private static final List<String> ALL_VERSIONS = StoreDatabaseTest.migrationVersions().stream().map(String::valueOf).toList();
    private static final List<String> TABLES = List.of("activations", "advisories", "advisory_ids", "blobs", "events", "feed_state",
            "overrides", "pending_updates", "project_findings", "projects", "release_rules", "releases", "scheduled_tasks",
            "source_metadata", "sources");

    @Test
    void anEmptyDatabaseIsMigratedByTheSameMigrationsAsSqlite() {
        StoreLocation.Postgres location = TestStores.emptyPostgres();
        try (Database database = Database.open(location)) {
            assertThat(database.kind()).isEqualTo(Database.Kind.POSTGRESQL);
            assertThat(database.location().describe()).startsWith("PostgreSQL jdbc:postgresql://");
            database.jdbi().useHandle(h -> {
                assertThat(tables(h)).containsAll(TABLES);
                assertThat(appliedVersions(h)).containsExactlyElementsOf(ALL_VERSIONS);
                assertThatThrownBy(() -> h.execute(
                        "INSERT INTO release_rules (release_id, rule_id, source, path, sha256) VALUES ('x', 'r', 's', 'p', 'h')"))
                        .hasMessageContaining("foreign key");
                h.execute("INSERT INTO blobs (sha256, content, size, created_at) VALUES ('abc', 'rules: []', 9, 1)");
            });
        }
        try (Database again = Database.connect(location.jdbcUrl(), location.user(), location.password())) {
            again.jdbi().useHandle(h -> {
                assertThat(appliedVersions(h)).as("nothing applied twice").containsExactlyElementsOf(ALL_VERSIONS);
                assertThat(h.createQuery("SELECT content FROM blobs").mapTo(String.class).one()).isEqualTo("rules: []");
            });
        }
    }

    @Test
    void aFailedMigrationIsReportedNotSkipped() {
        StoreLocation.Postgres location = TestStores.freshPostgres();
        try (Database database = Database.open(location)) {
            database.jdbi().useHandle(h -> h.execute("UPDATE flyway_schema_history SET success = false WHERE version = '1'"));
        }

        assertThatThrownBy(() -> Database.open(location))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot bring database PostgreSQL jdbc:postgresql://")
                .hasMessageContaining("failed migration");
    }

    @Test
    void anotherProgramsDatabaseIsNotMigrated() throws Exception {
        StoreLocation.Postgres location = TestStores.emptyPostgres();
        try (Connection connection = DriverManager.getConnection(location.jdbcUrl(), location.user(), "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE contacts (name TEXT)");
        }

        assertThatThrownBy(() -> Database.open(location))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another program")
                .hasMessageContaining("contacts")
                .hasMessageContaining("a database (or schema) of its own");
    }

    @Test
    void anUnreachableServerOrMissingDatabaseIsNamedWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/freshet?connectTimeout=2";
        assertThatThrownBy(() -> Database.connect(url, "freshet", "s3cret"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("Cannot connect to PostgreSQL " + url)
                .hasMessageContaining("Check the URL, user and password")
                .message().doesNotContain("s3cret");

        String missing = TestStores.location("no_such_database").jdbcUrl();
        assertThatThrownBy(() -> Database.connect(missing, "postgres", null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no_such_database")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsRefusedAndPasswordsStayHidden() {
        assertThat(StoreLocation.of(" ", null, null, Path.of("data"))).isEqualTo(new StoreLocation.SqliteFile(Path.of("data")));
        assertThat(StoreLocation.of("jdbc:postgresql://db:5432/freshet", "app", "", Path.of("data")))
                .isEqualTo(new StoreLocation.Postgres("jdbc:postgresql://db:5432/freshet", "app", null));
        assertThatThrownBy(() -> StoreLocation.of("mysql://db/freshet?password=hunter2", null, null, Path.of("data")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is not a PostgreSQL JDBC URL")
                .hasMessageContaining("jdbc:postgresql://HOST:5432/DATABASE")
                .message().doesNotContain("hunter2");
        StoreLocation.Postgres withPassword = new StoreLocation.Postgres(
                "jdbc:postgresql://db/freshet?user=app&password=hunter2&ssl=true", "app", "hunter2");
        assertThat(withPassword.describe()).isEqualTo("PostgreSQL jdbc:postgresql://db/freshet?user=app&password=***&ssl=true");
        assertThat(withPassword.toString()).doesNotContain("hunter2");
    }

    @Test
    void aNoticeGoesOutOnCommitOnlyAndLocksNeedATransaction() throws Exception {
        try (Database database = Database.open(TestStores.freshPostgres());
             Connection listener = database.openSessionConnection("test")) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN " + SharedWrites.KNOWLEDGE_CHANNEL);
            }
            PGConnection pg = listener.unwrap(PGConnection.class);

            assertThatThrownBy(() -> database.jdbi().useTransaction(h -> {
                SharedWrites.notifyOnCommit(h, SharedWrites.KNOWLEDGE_CHANNEL, "rolled back");
                throw new IllegalStateException("abort");
            })).hasMessage("abort");
            database.jdbi().useTransaction(h -> {
                SharedWrites.lock(h, "activations");
                SharedWrites.notifyOnCommit(h, SharedWrites.KNOWLEDGE_CHANNEL, "committed");
            });

            PGNotification[] received = pg.getNotifications(5_000);
            assertThat(received).extracting(PGNotification::getParameter).containsExactly("committed");
            assertThatThrownBy(() -> database.jdbi().useHandle(h -> SharedWrites.lock(h, "activations")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a transaction");
        }
    }

    @Test
    void sqliteStoresHaveNoSessionConnection(@org.junit.jupiter.api.io.TempDir Path tmp) {
        try (Database database = Database.open(tmp)) {
            assertThat(database.kind()).isEqualTo(Database.Kind.SQLITE);
            assertThatThrownBy(() -> database.openSessionConnection("test")).isInstanceOf(IllegalStateException.class);
            // The helpers do nothing there, in or out of a transaction.
            database.jdbi().useHandle(h -> SharedWrites.lock(h, "activations"));
            database.jdbi().useTransaction(h -> SharedWrites.notifyOnCommit(h, SharedWrites.KNOWLEDGE_CHANNEL, "x"));
        }
    }

    private static List<String> tables(Handle h) {
        return h.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                .mapTo(String.class).list();
    }

    private static List<String> appliedVersions(Handle h) {
        return h.createQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
                .mapTo(String.class).list();
    }
}

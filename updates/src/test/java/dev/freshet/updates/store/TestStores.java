package dev.freshet.updates.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stores for tests, of either kind. PostgreSQL is a real server (zonky's embedded binaries, from
 * Maven), started once per test JVM and stopped when it exits. Every test gets a database of its
 * own, copied from a template that was migrated once: a copy takes milliseconds, Flyway seconds.
 *
 * <p>Store tests run on both kinds with {@code @ParameterizedClass @EnumSource(Database.Kind.class)}
 * and {@code TestStores.fresh(kind, tmp)}; with {@code @ExtendWith(TestStores.DropAfterEach.class)}
 * the databases a test made are dropped after it, so the server's disk stays small.
 */
public final class TestStores {
    private static final String TEMPLATE = "freshet_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final List<String> MADE = new ArrayList<>();
    private static EmbeddedPostgres server;
    private static boolean templateReady;

    private TestStores() {
    }

    /** A store nobody else uses: a data directory under {@code tmp}, or a new, migrated PostgreSQL database. */
    public static StoreLocation fresh(Database.Kind kind, Path tmp) {
        return switch (kind) {
            case SQLITE -> new StoreLocation.SqliteFile(tmp.resolve("store"));
            case POSTGRESQL -> freshPostgres();
        };
    }

    /** A new PostgreSQL database with the current schema, shared by whoever connects to it (nodes of a cluster). */
    public static synchronized StoreLocation.Postgres freshPostgres() {
        if (!templateReady) {
            execute("CREATE DATABASE " + TEMPLATE);
            Database.open(location(TEMPLATE)).close();
            templateReady = true;
        }
        String name = "freshet_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        MADE.add(name);
        return location(name);
    }

    /** A new PostgreSQL database with nothing in it. */
    public static synchronized StoreLocation.Postgres emptyPostgres() {
        String name = "empty_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        MADE.add(name);
        return location(name);
    }

    /** Drops the databases made since the last call; whoever is still connected to them is disconnected. */
    public static synchronized void dropMade() {
        MADE.forEach(name -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        MADE.clear();
    }

    /** Drops the databases each test made, after it. */
    public static final class DropAfterEach implements AfterEachCallback {
        @Override
        public void afterEach(ExtensionContext context) {
            dropMade();
        }
    }

    /** Runs one statement as the superuser, in the server's maintenance database. */
    public static void execute(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL refused: " + sql + ": " + e.getMessage(), e);
        }
    }

    public static StoreLocation.Postgres location(String database) {
        return new StoreLocation.Postgres(server().getJdbcUrl("postgres", database), "postgres", null);
    }

    /** The server of this JVM, started on first use. Only linux amd64 binaries are on the test class path. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                            && System.getProperty("os.arch").matches("amd64|x86_64"),
                    "embedded PostgreSQL binaries are on the test class path for linux amd64 only");
            try {
                server = EmbeddedPostgres.builder()
                        // Throwaway data: durability only costs time here.
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .setRegisterShutdownHook(true)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
        }
        return server;
    }
}

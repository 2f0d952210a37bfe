package dev.freshet.updates.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file ({@value #FILE_NAME}) under the data directory, in WAL mode
 * with foreign keys on, migrated by Flyway when opened. Every {@link Jdbi} handle is its own
 * connection; readers never wait for a writer, writers queue for up to {@link #BUSY_TIMEOUT_MS}.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "freshet.db";
    public static final int BUSY_TIMEOUT_MS = 10_000;
    /**
     * The newest migration's version (db/migration/V{n}__*.sql). A store already at it skips Flyway,
     * whose start alone takes a second or more: too slow for a CLI command such as rollback.
     */
    static final String SCHEMA_VERSION = "6";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Path file;
    private final Jdbi jdbi;
    private final javax.sql.DataSource dataSource;
    private final Connection keeper;

    private Database(Path file, javax.sql.DataSource dataSource, Connection keeper) {
        this.file = file;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.keeper = keeper;
    }

    /** Opens (creating if needed) the store under {@code dataDir} and brings its schema up to date. */
    public static Database open(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        prepareDirectory(dir);
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file) && (!Files.isRegularFile(file) || !Files.isWritable(file))) {
            throw new StoreException("Cannot use " + file + ": it is not a writable file. "
                    + "Fix its permissions or choose another data directory.");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // A write transaction takes the write lock when it begins; a deferred one that read first
        // could fail with SQLITE_BUSY on upgrade, which no busy timeout can wait out.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);

        // Held open for the store's lifetime: otherwise every handle closing as the last connection
        // would checkpoint and delete the WAL, and the next one would recreate it.
        Connection keeper = connect(dataSource, file);
        try {
            if (!upToDate(keeper, file)) {
                migrate(dataSource, file);
            }
        } catch (RuntimeException e) {
            closeQuietly(keeper);
            throw e;
        }
        return new Database(file, dataSource, keeper);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** For libraries that take a DataSource (the scheduler). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closeQuietly(keeper);
    }

    private static void prepareDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StoreException("Cannot use data directory " + dir + ": it is a file, not a directory. "
                    + "Choose another data directory.");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("Cannot create data directory " + dir + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). "
                    + "Create it yourself or choose another data directory.", e);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException("Data directory " + dir + " is not writable. "
                    + "Fix its permissions or choose another data directory.");
        }
    }

    private static Connection connect(SQLiteDataSource dataSource, Path file) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT count(*) FROM sqlite_master"); // reads the header and schema
            }
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw openFailure(file, e);
        }
    }

    private static StoreException openFailure(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
            return new StoreException(file + " is not a usable Freshet database (" + code.message + "). "
                    + "Move it away to start with an empty store, or restore it from a backup.", e);
        }
        return new StoreException("Cannot open database " + file + ": " + e.getMessage(), e);
    }

    /**
     * Whether the schema is at {@link #SCHEMA_VERSION} with no failed migration. Refuses a SQLite file
     * of some other program: migrating it would mix our tables into its data.
     */
    private static boolean upToDate(Connection connection, Path file) {
        try (Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            if (tables.isEmpty()) {
                return false;
            }
            if (!tables.contains("flyway_schema_history")) {
                throw new StoreException(file + " is a SQLite database of another program (tables " + tables + "). "
                        + "Move it away or choose another data directory.");
            }
            try (ResultSet rows = statement.executeQuery("SELECT sum(CASE WHEN version = '" + SCHEMA_VERSION
                    + "' AND success = 1 THEN 1 ELSE 0 END), sum(CASE WHEN success = 1 THEN 0 ELSE 1 END) FROM flyway_schema_history")) {
                return rows.next() && rows.getInt(1) == 1 && rows.getInt(2) == 0;
            }
        } catch (SQLException e) {
            throw openFailure(file, e);
        }
    }

    private static void migrate(SQLiteDataSource dataSource, Path file) {
        try {
            var result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("store {} migrated to schema version {}", file, result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new StoreException("Cannot bring database " + file + " up to date: "
                    + flywayProblem(e) + ". Restore it from a backup or move it away.", e);
        }
    }

    /** Flyway's own lines, without its advice to run its CLI or read its blog. */
    private static String flywayProblem(FlywayException e) {
        return String.valueOf(e.getMessage()).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.contains("Learn more") && !line.contains("run repair"))
                .map(line -> line.endsWith(".") ? line.substring(0, line.length() - 1) : line)
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the store connection failed: {}", e.getMessage());
        }
    }
}

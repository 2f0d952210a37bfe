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
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;
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
 * The store, of one of two kinds. The embedded default is one SQLite file ({@value #FILE_NAME})
 * under the data directory, in WAL mode with foreign keys on: every {@link Jdbi} handle is its own
 * connection, readers never wait for a writer, writers queue for up to {@link #BUSY_TIMEOUT_MS}.
 * The alternative is a PostgreSQL database, through a HikariCP pool, that several nodes share.
 * Both are migrated by Flyway from the same migrations when opened.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "freshet.db";
    public static final int BUSY_TIMEOUT_MS = 10_000;
    /** Connections a node holds on a PostgreSQL store; the server's default limit (100) fits several nodes. */
    public static final int POSTGRES_POOL_SIZE = 8;
    /**
     * The newest migration's version (db/migration/V{n}__*.sql). A store already at it skips Flyway,
     * whose start alone takes a second or more: too slow for a CLI command such as rollback.
     */
    /** SQLite writes one at a time anyway; a few connections serve concurrent readers. */
    private static final int SQLITE_POOL_SIZE = 4;
    static final String SCHEMA_VERSION = "24";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** Which kind of store this is. */
    public enum Kind { SQLITE, POSTGRESQL }

    private final StoreLocation location;
    private final Jdbi jdbi;
    private final DataSource dataSource;
    /** SQLite: held open for the store's lifetime (see {@link #openSqlite}); PostgreSQL: null. */
    private final Connection keeper;

    private Database(StoreLocation location, DataSource dataSource, Connection keeper) {
        this.location = location;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.keeper = keeper;
    }

    /** Opens (creating if needed) the embedded store under {@code dataDir} and brings its schema up to date. */
    public static Database open(Path dataDir) {
        return openSqlite(new StoreLocation.SqliteFile(dataDir));
    }

    /** Opens the store at {@code location}, of either kind, and brings its schema up to date. */
    public static Database open(StoreLocation location) {
        return switch (location) {
            case StoreLocation.SqliteFile sqlite -> openSqlite(sqlite);
            case StoreLocation.Postgres postgres -> openPostgres(postgres);
        };
    }

    /**
     * Connects to a PostgreSQL database ({@code jdbc:postgresql://HOST:PORT/DATABASE}) and brings its
     * schema up to date. User and password may be null when the URL carries them.
     */
    public static Database connect(String jdbcUrl, String user, String password) {
        return openPostgres(new StoreLocation.Postgres(jdbcUrl, user, password));
    }

    private static Database openSqlite(StoreLocation.SqliteFile location) {
        Path dir = location.dataDir().toAbsolutePath().normalize();
        prepareDirectory(dir);
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file) && (!Files.isRegularFile(file) || !Files.isWritable(file))) {
            throw new StoreException("Cannot use " + file + ": it is not a writable file. "
                    + "Fix its permissions or choose another data directory.");
        }
        restrictStoreFiles(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // A write transaction takes the write lock when it begins; a deferred one that read first
        // could fail with SQLITE_BUSY on upgrade, which no busy timeout can wait out.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // In WAL mode NORMAL loses nothing when the process dies (only on power loss, the last commits),
        // and a commit costs a fraction of FULL's.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);

        // Held open for the store's lifetime: otherwise every handle closing as the last connection
        // would checkpoint and delete the WAL, and the next one would recreate it.
        Connection keeper = connect(dataSource, file);
        try {
            if (!upToDate(keeper, Kind.SQLITE, file.toString())) {
                migrate(dataSource, file.toString());
            }
        } catch (RuntimeException e) {
            closeQuietly(keeper);
            throw e;
        }
        // Pooled: opening a SQLite connection costs milliseconds, more than most queries here.
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("freshet-sqlite");
        pool.setDataSource(dataSource);
        pool.setMaximumPoolSize(SQLITE_POOL_SIZE);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MS);
        return new Database(new StoreLocation.SqliteFile(dir), new HikariDataSource(pool), keeper);
    }

    private static Database openPostgres(StoreLocation.Postgres location) {
        String where = location.describe();
        HikariConfig config = new HikariConfig();
        config.setPoolName("freshet-store");
        config.setJdbcUrl(location.jdbcUrl());
        config.setUsername(location.user());
        config.setPassword(location.password());
        config.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config); // connects once, so a wrong URL or password fails here
        } catch (RuntimeException e) {
            throw new StoreException("Cannot connect to " + where + ": " + rootMessage(e)
                    + ". Check the URL, user and password, and that the server is running.", e);
        }
        try (Connection connection = pool.getConnection()) {
            if (!upToDate(connection, Kind.POSTGRESQL, where)) {
                migrate(pool, where);
            }
        } catch (SQLException e) {
            pool.close();
            throw new StoreException("Cannot use " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(location, pool, null);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** For libraries that take a DataSource (the scheduler). */
    public DataSource dataSource() {
        return dataSource;
    }

    public Kind kind() {
        return location instanceof StoreLocation.Postgres ? Kind.POSTGRESQL : Kind.SQLITE;
    }

    public StoreLocation location() {
        return location;
    }

    /** The SQLite file; a PostgreSQL store has none. */
    public Path file() {
        if (!(location instanceof StoreLocation.SqliteFile sqlite)) {
            throw new IllegalStateException(location.describe() + " is not a file");
        }
        return sqlite.dataDir().resolve(FILE_NAME);
    }

    /**
     * A connection outside the pool, for a session that lasts as long as the node (LISTEN); the
     * caller closes it. {@code purpose} shows as the session's application name on the server. Only
     * a PostgreSQL store has such sessions.
     */
    public Connection openSessionConnection(String purpose) throws SQLException {
        if (!(location instanceof StoreLocation.Postgres postgres)) {
            throw new IllegalStateException(location.describe() + " has no server to hold a session with");
        }
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", purpose);
        if (postgres.user() != null) {
            properties.setProperty("user", postgres.user());
        }
        if (postgres.password() != null) {
            properties.setProperty("password", postgres.password());
        }
        return new org.postgresql.Driver().connect(postgres.jdbcUrl(), properties);
    }

    @Override
    public void close() {
        closeQuietly(keeper);
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    /**
     * The store file made owner-only before SQLite opens it: SQLite gives its -wal and -shm files the
     * database file's permissions. Files an older version left readable by others are restricted too.
     */
    private static void restrictStoreFiles(Path file) {
        try {
            OwnerOnly.createFile(file);
            for (String suffix : List.of("-wal", "-shm", "-journal")) {
                OwnerOnly.restrict(file.resolveSibling(file.getFileName() + suffix));
            }
        } catch (IOException e) {
            throw new StoreException("Cannot make " + file + " readable by its owner only (" + e.getMessage() + "). "
                    + "Fix its permissions or choose another data directory.", e);
        }
    }

    private static void prepareDirectory(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StoreException("Cannot use data directory " + dir + ": it is a file, not a directory. "
                    + "Choose another data directory.");
        }
        try {
            OwnerOnly.createDirectories(dir);
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
     * Whether the schema is at {@link #SCHEMA_VERSION} with no failed migration. Refuses a database
     * of some other program: migrating it would mix our tables into its data.
     */
    private static boolean upToDate(Connection connection, Kind kind, String where) {
        String tablesQuery = kind == Kind.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
        try (Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(tablesQuery)) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            if (tables.isEmpty()) {
                return false;
            }
            if (!tables.contains("flyway_schema_history")) {
                throw new StoreException(where + " is a database of another program (tables " + tables.stream().sorted().toList()
                        + "). " + (kind == Kind.SQLITE ? "Move it away or choose another data directory."
                        : "Give Freshet a database (or schema) of its own."));
            }
            // success is an integer on SQLite and a boolean on PostgreSQL: tested bare, it works on both.
            try (ResultSet rows = statement.executeQuery("SELECT sum(CASE WHEN version = '" + SCHEMA_VERSION
                    + "' AND success THEN 1 ELSE 0 END), sum(CASE WHEN success THEN 0 ELSE 1 END) FROM flyway_schema_history")) {
                return rows.next() && rows.getInt(1) == 1 && rows.getInt(2) == 0;
            }
        } catch (SQLException e) {
            throw kind == Kind.SQLITE ? openFailure(Path.of(where), e)
                    : new StoreException("Cannot read the schema of " + where + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(DataSource dataSource, String where) {
        try {
            var result = Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("store {} migrated to schema version {}", where, result.targetSchemaVersion);
            }
        } catch (FlywayException e) {
            throw new StoreException("Cannot bring database " + where + " up to date: "
                    + flywayProblem(e) + ". Restore it from a backup or move it away.", e);
        }
    }

    /** Flyway's own lines, without its advice to run its CLI or read its blog. */
    private static String flywayProblem(FlywayException e) {
        return String.valueOf(e.getMessage()).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.contains("Learn more") && !line.contains("run repair"))
                .map(line -> line.endsWith(".") ? line.substring(0, line.length() - 1) : line)
                .collect(Collectors.joining("; "));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
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

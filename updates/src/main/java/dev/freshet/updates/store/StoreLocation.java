package dev.freshet.updates.store;

import java.nio.file.Path;
import java.util.Objects;

/** Where the store lives: the embedded SQLite file under a data directory, or a shared PostgreSQL database. */
public sealed interface StoreLocation {

    /** The embedded default: {@value Database#FILE_NAME} under {@code dataDir}. One node. */
    record SqliteFile(Path dataDir) implements StoreLocation {
        public SqliteFile {
            Objects.requireNonNull(dataDir, "dataDir");
        }

        @Override
        public String describe() {
            return "SQLite " + dataDir.toAbsolutePath().normalize().resolve(Database.FILE_NAME);
        }
    }

    /** A PostgreSQL database that several nodes may share. User and password may be null (then the URL's own apply). */
    record Postgres(String jdbcUrl, String user, String password) implements StoreLocation {
        public static final String URL_PREFIX = "jdbc:postgresql:";

        public Postgres {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith(URL_PREFIX)) {
                throw new StoreException("Database URL '" + redacted(jdbcUrl) + "' is not a PostgreSQL JDBC URL. "
                        + "Give one like jdbc:postgresql://HOST:5432/DATABASE, or none for the embedded SQLite store.");
            }
        }

        @Override
        public String describe() {
            return "PostgreSQL " + redacted(jdbcUrl);
        }

        /** Never the password, not even in a stack trace. */
        @Override
        public String toString() {
            return "Postgres[" + redacted(jdbcUrl) + ", user=" + user + "]";
        }
    }

    /** For messages and logs: the kind and place, with no password. */
    String describe();

    /**
     * The location a setting names: a blank {@code databaseUrl} means the embedded store under
     * {@code dataDir}; otherwise it must be a PostgreSQL JDBC URL.
     */
    static StoreLocation of(String databaseUrl, String user, String password, Path dataDir) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            return new SqliteFile(dataDir);
        }
        return new Postgres(databaseUrl.strip(), blankToNull(user), blankToNull(password));
    }

    /** The URL without the value of any password parameter. */
    static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

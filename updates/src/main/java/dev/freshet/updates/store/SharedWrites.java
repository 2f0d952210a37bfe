package dev.freshet.updates.store;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/**
 * What a write transaction does so that several nodes sharing a PostgreSQL store stay consistent.
 * On SQLite both are no-ops: its immediate transactions already let one writer in at a time, and
 * only one node uses the file.
 */
public final class SharedWrites {
    /** The channel on which a committed activation, rollback or override change is announced. */
    public static final String KNOWLEDGE_CHANNEL = "freshet_knowledge";
    /** Freshet's half of PostgreSQL's two-key advisory locks, so its locks never meet another program's. */
    private static final int LOCK_SPACE = 0x46524553; // "FRES"

    private SharedWrites() {
    }

    /**
     * Holds the lock {@code name} until this transaction ends, so writers that read then write (next
     * id = MAX + 1, insert if absent) under the same name run one after the other, on any node.
     * PostgreSQL's default isolation starts each statement on the newest committed data, so what is
     * read after the lock includes the previous holder's writes.
     */
    public static void lock(Handle h, String name) {
        if (isPostgres(h)) {
            requireTransaction(h, "lock " + name);
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:space, :key)) AS locked")
                    .bind("space", LOCK_SPACE).bind("key", name.hashCode()).mapTo(Integer.class).one();
        }
    }

    /** Announces {@code payload} on {@code channel} to every listening node when, and only if, this transaction commits. */
    public static void notifyOnCommit(Handle h, String channel, String payload) {
        if (isPostgres(h)) {
            requireTransaction(h, "notify " + channel);
            h.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, :payload)) AS sent")
                    .bind("channel", channel).bind("payload", payload).mapTo(Integer.class).one();
        }
    }

    static boolean isPostgres(Handle h) {
        try {
            return h.getConnection().isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            throw new StoreException("Cannot tell which database a connection leads to: " + e.getMessage(), e);
        }
    }

    private static void requireTransaction(Handle h, String what) {
        if (!h.isInTransaction()) {
            // Outside a transaction the lock would end with the statement and the notice go out at once.
            throw new IllegalStateException(what + " needs a transaction");
        }
    }
}

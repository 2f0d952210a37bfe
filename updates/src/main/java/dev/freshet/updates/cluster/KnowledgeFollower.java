package dev.freshet.updates.cluster;

import dev.freshet.updates.rollout.ActiveKnowledge;
import dev.freshet.updates.store.Database;
import dev.freshet.updates.store.SharedWrites;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's engine in step with the store, whichever node changed it. The store is polled
 * on every kind (the fallback, and on SQLite the only way); on PostgreSQL a session also LISTENs
 * for the notice that an activation, rollback or override change sends when it commits, and
 * refreshes at once. A lost session is reopened with growing pauses, and reopening refreshes, so
 * nothing announced while it was away is missed for longer than one poll.
 */
public final class KnowledgeFollower implements AutoCloseable {
    /** The listening session's name on the server, to find it among the others. */
    public static final String SESSION_NAME = "freshet-knowledge-listener";
    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeFollower.class);
    /** How long one wait for notices lasts: bounds how long closing takes. */
    private static final int WAIT_MS = 250;
    /** A session that died without a word (no RST) shows up at the next check. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final Database database;
    private final ActiveKnowledge knowledge;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "freshet-knowledge-poll"));
    private final Thread listener;
    private final AtomicLong notices = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean closed;

    private KnowledgeFollower(Database database, ActiveKnowledge knowledge) {
        this.database = database;
        this.knowledge = knowledge;
        this.listener = database.kind() == Database.Kind.POSTGRESQL ? daemon(this::listen, "freshet-knowledge-listen") : null;
    }

    /**
     * Starts following: a refresh every {@code pollInterval} on any store, and on PostgreSQL a refresh
     * as soon as any node's change commits. With notices, the poll can be slow (tens of seconds).
     */
    public static KnowledgeFollower start(Database database, ActiveKnowledge knowledge, Duration pollInterval) {
        KnowledgeFollower follower = new KnowledgeFollower(database, knowledge);
        follower.poller.scheduleWithFixedDelay(() -> follower.refresh("poll"), 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (follower.listener != null) {
            follower.listener.start();
        }
        return follower;
    }

    /** Whether changes arrive as notices now (false on SQLite, and while the session is being reopened). */
    public boolean listening() {
        return listening;
    }

    /** Notices received so far. */
    public long notices() {
        return notices.get();
    }

    private void listen() {
        Duration pause = FIRST_PAUSE;
        while (!closed) {
            try (Connection session = database.openSessionConnection(SESSION_NAME)) {
                try (Statement statement = session.createStatement()) {
                    statement.execute("LISTEN " + SharedWrites.KNOWLEDGE_CHANNEL);
                }
                PGConnection pg = session.unwrap(PGConnection.class);
                listening = true;
                pause = FIRST_PAUSE;
                LOG.info("listening for knowledge changes on {}", database.location().describe());
                refresh("listening (again)"); // whatever changed while no one listened
                long checked = System.nanoTime();
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(WAIT_MS);
                    if (received != null && received.length > 0) {
                        notices.addAndGet(received.length);
                        // One refresh for a burst: it reads the newest state whatever the notices said.
                        refresh(received[received.length - 1].getParameter());
                    }
                    if (System.nanoTime() - checked > CHECK_EVERY.toNanos()) {
                        if (!session.isValid(2)) {
                            throw new SQLException("the session stopped answering");
                        }
                        checked = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    break;
                }
                LOG.warn("not listening for knowledge changes on {} ({}); polling goes on, trying again in {} ms",
                        database.location().describe(), e.getMessage(), pause.toMillis());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
        listening = false;
    }

    private void refresh(String why) {
        try {
            if (knowledge.refresh()) {
                LOG.debug("knowledge refreshed after {}", why);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not refresh knowledge from the store after {}; keeping the current snapshot", why, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(Duration.ofMillis(WAIT_MS * 8L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        return thread;
    }
}

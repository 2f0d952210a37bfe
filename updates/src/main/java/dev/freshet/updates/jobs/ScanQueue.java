package dev.freshet.updates.jobs;

import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.rollout.Cohorts;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of the scan queue (tables {@code scan_jobs} and {@code scan_job_report_chunks}): submissions
 * within the bounds, claims, leases, and the writes that end a job. A worker claims a job with a
 * conditional UPDATE ({@code WHERE state = 'QUEUED'}, one row or none), which makes claims exactly-once
 * across threads, processes and nodes sharing the database, on SQLite and PostgreSQL alike. Every write
 * made under a claim checks it, so a worker that lost its lease cannot overwrite the result of the one
 * that took over. Attempts are counted at the claim and never given back, so a job that kills its
 * worker or its node is given up after {@value #MAX_ATTEMPTS} of them, whatever restarts happen between.
 */
final class ScanQueue {
    static final int MAX_ATTEMPTS = 3;
    private static final int MAX_LIST = 1000;
    /** Reports go to the store in pieces of this many characters, each written and read with its own connection. */
    static final int CHUNK_CHARS = 256 * 1024;

    enum SourceKind {
        PATH, UPLOAD
    }

    /** A job a worker holds: {@code owner} is the claim's token, checked by every write that ends it. */
    record Claim(String id, String owner, SourceKind kind, String source, String tenant, Cohorts.Requested cohort) {
    }

    private static Cohorts.Requested cohort(String stored) {
        return stored == null ? Cohorts.Requested.OWN_BUCKET : Cohorts.Requested.valueOf(stored);
    }

    /** How a failed attempt ended. */
    enum Retry {
        QUEUED_AGAIN, GIVEN_UP, CLAIM_LOST
    }

    /** A write made under a claim that another worker has taken over meanwhile. */
    static final class ClaimLost extends RuntimeException {
        ClaimLost(String id) {
            super("scan job " + id + ": the claim was lost (its lease ran out); this attempt's results are dropped");
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final Duration lease;

    ScanQueue(Jdbi jdbi, Clock clock, Duration lease) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.lease = lease;
    }

    /**
     * Adds a job if at most {@code maxQueued} jobs wait in all and the tenant has fewer than
     * {@code perTenant} queued or running.
     *
     * @param uploadStore for uploads, the directory holding the file: only workers sharing it may claim the job
     * @throws QueueFullException naming the bound that refused it
     */
    ScanJob insert(String id, String tenant, SourceKind kind, String source, String uploadStore, Cohorts.Requested cohort,
                   int maxQueued, int perTenant) {
        long now = clock.millis();
        // One statement checks both bounds and inserts, so racing submitters cannot overshoot them on SQLite.
        int inserted = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO scan_jobs (id, tenant, state, source_kind, source, upload_store, submitted_at, attempts,
                                               findings, vulnerable_dependencies, cohort)
                        SELECT :id, :tenant, 'QUEUED', :kind, :source, :store, :now, 0, 0, 0, :cohort
                        WHERE (SELECT count(*) FROM scan_jobs WHERE state = 'QUEUED') < :max
                          AND (SELECT count(*) FROM scan_jobs WHERE tenant = :tenant AND state IN ('QUEUED', 'RUNNING')) < :perTenant""")
                .bind("id", id).bind("tenant", tenant).bind("kind", kind.name()).bind("source", source)
                .bind("store", uploadStore).bind("now", now)
                .bind("cohort", cohort == Cohorts.Requested.OWN_BUCKET ? null : cohort.name()).bind("max", maxQueued).bind("perTenant", perTenant).execute());
        if (inserted == 0) {
            throw activeOf(tenant) >= perTenant ? QueueFullException.tenant(tenant, perTenant) : QueueFullException.queue(maxQueued);
        }
        return new ScanJob(id, tenant, ScanJob.State.QUEUED, source, Instant.ofEpochMilli(now), null, null, null, 0, 0, null);
    }

    private int activeOf(String tenant) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM scan_jobs WHERE tenant = :tenant AND state IN ('QUEUED', 'RUNNING')")
                .bind("tenant", tenant).mapTo(Integer.class).one());
    }

    Optional<ScanJob> find(String tenant, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scan_jobs WHERE id = :id AND tenant = :tenant")
                .bind("id", id).bind("tenant", tenant).map((rs, ctx) -> job(rs)).findOne());
    }

    Optional<ScanJob> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM scan_jobs WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> job(rs)).findOne());
    }

    List<ScanJob> list(String tenant, int limit) {
        int bounded = Math.max(1, Math.min(limit, MAX_LIST));
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM scan_jobs WHERE tenant = :tenant ORDER BY submitted_at DESC, id LIMIT :limit")
                .bind("tenant", tenant).bind("limit", bounded).map((rs, ctx) -> job(rs)).list());
    }

    int queueDepth() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM scan_jobs WHERE state = 'QUEUED'").mapTo(Integer.class).one());
    }

    /** Whether the job is still waiting or running (false for finished or deleted jobs). */
    boolean unfinished(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM scan_jobs WHERE id = :id AND state IN ('QUEUED', 'RUNNING')")
                .bind("id", id).mapTo(Integer.class).one()) > 0;
    }

    /** Deletes jobs that finished before {@code cutoff}, with their reports; queued and running jobs are never touched. */
    int purgeFinishedBefore(Instant cutoff) {
        String finished = "SELECT id FROM scan_jobs WHERE state IN ('DONE', 'FAILED') AND finished_at < :cutoff";
        return jdbi.inTransaction(h -> {
            // Explicit deletes: SQLite does not cascade unless foreign keys are switched on.
            h.createUpdate("DELETE FROM scan_job_report_chunks WHERE job_id IN (" + finished + ")").bind("cutoff", cutoff.toEpochMilli()).execute();
            return h.createUpdate("DELETE FROM scan_jobs WHERE id IN (" + finished + ")").bind("cutoff", cutoff.toEpochMilli()).execute();
        });
    }

    /** Claims the oldest waiting job no other worker claims first (uploads only from {@code uploadStore}); one connection for the lot. */
    Optional<Claim> claimNext(String node, String uploadStore, BooleanSupplier stopping) {
        return jdbi.withHandle(h -> {
            List<Claim> candidates = h.createQuery("""
                            SELECT id, source_kind, source, tenant, cohort FROM scan_jobs
                            WHERE state = 'QUEUED' AND (source_kind = 'PATH' OR upload_store = :store)
                            ORDER BY submitted_at, id LIMIT 8""")
                    .bind("store", uploadStore)
                    .map((rs, ctx) -> new Claim(rs.getString("id"), null, SourceKind.valueOf(rs.getString("source_kind")),
                            rs.getString("source"), rs.getString("tenant"), cohort(rs.getString("cohort")))).list();
            for (Claim candidate : candidates) {
                if (stopping.getAsBoolean()) {
                    break;
                }
                String owner = node + "/" + UUID.randomUUID().toString().substring(0, 8);
                long now = clock.millis();
                int claimed = h.createUpdate("""
                                UPDATE scan_jobs SET state = 'RUNNING', owner = :owner, lease_until = :lease, started_at = :now,
                                                     attempts = attempts + 1
                                WHERE id = :id AND state = 'QUEUED'""")
                        .bind("owner", owner).bind("lease", now + lease.toMillis()).bind("now", now)
                        .bind("id", candidate.id()).execute();
                if (claimed == 1) {
                    return Optional.of(new Claim(candidate.id(), owner, candidate.kind(), candidate.source(), candidate.tenant(),
                            candidate.cohort()));
                }
            }
            return Optional.<Claim>empty();
        });
    }

    /** Extends the claim's lease; false when the claim is no longer held. */
    boolean renew(String id, String owner) {
        long until = clock.millis() + lease.toMillis();
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE scan_jobs SET lease_until = :until WHERE id = :id AND owner = :owner AND state = 'RUNNING'")
                .bind("until", until).bind("id", id).bind("owner", owner).execute()) == 1;
    }

    /** Ends the claim DONE, keeping this attempt's reports only; false when the claim was lost. */
    boolean finishDone(Claim claim, String releaseId, ScanRunner.Scanned scanned) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'DONE', finished_at = :now, release_id = :release, findings = :findings,
                                                 vulnerable_dependencies = :dependencies, owner = NULL, lease_until = NULL
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("now", now).bind("release", releaseId).bind("findings", scanned.findings())
                    .bind("dependencies", scanned.vulnerableDependencies()).bind("id", claim.id())
                    .bind("owner", claim.owner()).execute();
            if (updated == 1) {
                h.createUpdate("DELETE FROM scan_job_report_chunks WHERE job_id = :id AND owner <> :owner")
                        .bind("id", claim.id()).bind("owner", claim.owner()).execute();
            }
            return updated == 1;
        });
    }

    /** Ends the claim FAILED for good; false when the claim was lost. */
    boolean finishFailed(Claim claim, String releaseId, String error) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'FAILED', finished_at = :now, release_id = :release, error = :error,
                                                 owner = NULL, lease_until = NULL
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("now", now).bind("release", releaseId).bind("error", error).bind("id", claim.id())
                    .bind("owner", claim.owner()).execute();
            if (updated == 1) {
                h.createUpdate("DELETE FROM scan_job_report_chunks WHERE job_id = :id").bind("id", claim.id()).execute();
            }
            return updated == 1;
        });
    }

    /**
     * After an attempt that failed for a reason of the server's (an error, an exhausted heap), frees the
     * claim: the job waits for another attempt, or fails for good with {@code error} once it has had
     * {@value #MAX_ATTEMPTS}. The attempt stays counted either way.
     */
    Retry retryOrFail(Claim claim, String error) {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int failed = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'FAILED', finished_at = :now, error = :error, owner = NULL, lease_until = NULL
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING' AND attempts >= :max""")
                    .bind("now", now).bind("error", "given up after " + MAX_ATTEMPTS + " attempts: " + error)
                    .bind("id", claim.id()).bind("owner", claim.owner()).bind("max", MAX_ATTEMPTS).execute();
            if (failed == 1) {
                h.createUpdate("DELETE FROM scan_job_report_chunks WHERE job_id = :id").bind("id", claim.id()).execute();
                return Retry.GIVEN_UP;
            }
            int queued = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL, started_at = NULL, error = :error
                            WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                    .bind("error", error).bind("id", claim.id()).bind("owner", claim.owner()).execute();
            return queued == 1 ? Retry.QUEUED_AGAIN : Retry.CLAIM_LOST;
        });
    }

    /** Puts a job a stopping worker still holds back in the queue; its attempt stays counted. */
    Retry handBack(String id, String owner) {
        return retryOrFail(new Claim(id, owner, null, null, null, null), "the server stopped while the scan ran, each time");
    }

    /**
     * Requeues (or, after too many attempts, fails) jobs whose lease expired: their node died or hung.
     *
     * @return {queued again, given up}
     */
    int[] expireLeases() {
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            int givenUp = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'FAILED', finished_at = :now, owner = NULL, lease_until = NULL,
                                                 error = :error
                            WHERE state = 'RUNNING' AND lease_until < :now AND attempts >= :max""")
                    .bind("now", now).bind("max", MAX_ATTEMPTS)
                    .bind("error", "given up after " + MAX_ATTEMPTS + " attempts: the node running it stopped "
                            + "renewing its lease each time (did the scan crash the process?)").execute();
            int queued = h.createUpdate("""
                            UPDATE scan_jobs SET state = 'QUEUED', owner = NULL, lease_until = NULL
                            WHERE state = 'RUNNING' AND lease_until < :now""")
                    .bind("now", now).execute();
            return new int[] {queued, givenUp};
        });
    }

    /** A writer of one report of the claimed job, sent to the store a chunk at a time while the claim holds. */
    Writer reportWriter(Claim claim, ReportFormat format) {
        return new Writer() {
            private final StringBuilder buffer = new StringBuilder();
            private int seq;

            @Override
            public void write(char[] chars, int offset, int length) {
                buffer.append(chars, offset, length);
                while (buffer.length() >= CHUNK_CHARS) {
                    store(buffer.substring(0, CHUNK_CHARS));
                    buffer.delete(0, CHUNK_CHARS);
                }
            }

            @Override
            public void flush() {
                // chunks go out when full or at close: a flush mid-report would only make small rows
            }

            @Override
            public void close() {
                if (buffer.length() > 0 || seq == 0) {
                    store(buffer.toString());
                    buffer.setLength(0);
                }
            }

            private void store(String content) {
                int stored = jdbi.withHandle(h -> h.createUpdate("""
                                INSERT INTO scan_job_report_chunks (job_id, format, seq, owner, content)
                                SELECT :id, :format, :seq, :owner, :content
                                WHERE EXISTS (SELECT 1 FROM scan_jobs WHERE id = :id AND owner = :owner AND state = 'RUNNING')""")
                        .bind("id", claim.id()).bind("format", format.id()).bind("seq", seq).bind("owner", claim.owner())
                        .bind("content", content).execute());
                if (stored == 0) {
                    throw new ClaimLost(claim.id());
                }
                seq++;
            }
        };
    }

    /** The report of the tenant's DONE job, read a chunk at a time, each with a connection of its own. */
    Optional<InputStream> report(String tenant, String id, ReportFormat format) {
        boolean present = jdbi.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM scan_job_report_chunks c JOIN scan_jobs j ON j.id = c.job_id
                        WHERE j.id = :id AND j.tenant = :tenant AND j.state = 'DONE' AND c.format = :format AND c.seq = 0""")
                .bind("id", id).bind("tenant", tenant).bind("format", format.id()).mapTo(Integer.class).one()) > 0;
        return present ? Optional.of(new ChunkStream(id, format.id())) : Optional.empty();
    }

    /** A report's chunks in order; the connection is held only while one chunk is fetched. */
    private final class ChunkStream extends InputStream {
        private final String id;
        private final String format;
        private int seq;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        ChunkStream(String id, String format) {
            this.id = id;
            this.format = format;
        }

        @Override
        public int read() {
            return available(1) ? current[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!available(length)) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }

        private boolean available(int wanted) {
            while (!ended && position == current.length) {
                Optional<String> next = jdbi.withHandle(h -> h.createQuery(
                                "SELECT content FROM scan_job_report_chunks WHERE job_id = :id AND format = :format AND seq = :seq")
                        .bind("id", id).bind("format", format).bind("seq", seq).mapTo(String.class).findFirst());
                if (next.isEmpty()) {
                    ended = true;
                } else {
                    current = next.get().getBytes(StandardCharsets.UTF_8);
                    position = 0;
                    seq++;
                }
            }
            return wanted > 0 && position < current.length;
        }
    }

    private static ScanJob job(ResultSet rs) throws SQLException {
        return new ScanJob(rs.getString("id"), rs.getString("tenant"), ScanJob.State.valueOf(rs.getString("state")),
                rs.getString("source"), instant(rs, "submitted_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getString("release_id"), rs.getInt("findings"), rs.getInt("vulnerable_dependencies"), rs.getString("error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}

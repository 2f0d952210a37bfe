package dev.freshet.app.server;

import dev.freshet.updates.rollout.Cohorts;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the scan routes need from the persistent scan-job queue ({@code ScanJobsService} over
 * {@code dev.freshet.updates.jobs.ScanJobs}); without one the scan routes answer 503. Every call names the caller's tenant: a scan is visible
 * only to the tenant that submitted it (another tenant's scan id is "not found").
 */
public interface ScanService {
    /**
     * Queues a scan of a directory the server may read (already checked against the readable roots), run
     * with the knowledge of the cohort the caller asked for ({@link Cohorts.Requested#OWN_BUCKET}: its sticky bucket).
     */
    Submission submitPath(String tenant, Path directory, Cohorts.Requested cohort);

    /**
     * Queues a scan of an uploaded zip or tar.gz archive (at most the configured upload size). The
     * implementation unpacks it safely: no path traversal, no links out of the tree, bounded
     * expansion; a bad archive is {@link Submission.Rejected}, and nothing of it is kept.
     */
    Submission submitArchive(String tenant, String fileName, byte[] archive, Cohorts.Requested cohort);

    /** The tenant's scan with this id. */
    Optional<ScanView> find(String tenant, String scanId);

    /**
     * The finished scan's report in {@code format}, streamed (the caller closes it); empty while the scan has
     * no results (or is not the tenant's).
     */
    Optional<InputStream> results(String tenant, String scanId, ResultFormat format);

    /** Scans accepted and not yet finished, for the queue-depth gauge. */
    int queueDepth();

    /** Tells {@code listener} of every scan that finishes, for the duration and findings metrics. */
    void onFinished(Consumer<Finished> listener);

    enum ResultFormat {
        JSON("application/json"), SARIF("application/sarif+json");

        private final String mediaType;

        ResultFormat(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /** What became of a submission. */
    sealed interface Submission {
        record Accepted(ScanView scan) implements Submission {
        }

        /** The input is unusable (bad archive, too big unpacked...): a 4xx, nothing written; or the queue is full (429, 503). */
        record Rejected(int status, String reason) implements Submission {
        }
    }

    /**
     * A scan as the API shows it.
     *
     * @param state    queued, running, succeeded or failed
     * @param findings number of findings once succeeded, else null
     */
    record ScanView(String id, String state, Instant submittedAt, Instant startedAt, Instant finishedAt, Integer findings,
                    String releaseId, String error) {
    }

    /** A scan that has just finished. */
    record Finished(String scanId, boolean succeeded, Duration took, int findings) {
    }
}

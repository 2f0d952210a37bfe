package dev.freshet.app;

import dev.freshet.app.server.ScanService;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.jobs.ArchiveException;
import dev.freshet.updates.jobs.QueueFullException;
import dev.freshet.updates.jobs.ScanJob;
import dev.freshet.updates.jobs.ScanJobs;
import dev.freshet.updates.rollout.Cohorts;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** The API's scans, served by the persistent scan-job queue. */
final class ScanJobsService implements ScanService {
    private final ScanJobs jobs;

    ScanJobsService(ScanJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public Submission submitPath(String tenant, Path directory, Cohorts.Requested cohort) {
        try {
            return new Submission.Accepted(view(jobs.submitPath(tenant, directory, cohort)));
        } catch (IllegalArgumentException e) {
            return new Submission.Rejected(400, e.getMessage());
        } catch (QueueFullException e) {
            return full(e);
        }
    }

    /** The tenant's own quota is its doing (429); a full queue is the server's (503). Both say when to retry. */
    private static Submission full(QueueFullException e) {
        return new Submission.Rejected(e.tenantQuota() ? 429 : 503, e.getMessage());
    }

    @Override
    public Submission submitArchive(String tenant, String fileName, byte[] archive, Cohorts.Requested cohort) {
        try {
            return new Submission.Accepted(view(jobs.submitArchive(tenant, new ByteArrayInputStream(archive), fileName, cohort)));
        } catch (ArchiveException e) {
            return new Submission.Rejected(400, e.getMessage());
        } catch (QueueFullException e) {
            return full(e);
        }
    }

    @Override
    public Optional<ScanView> find(String tenant, String scanId) {
        return jobs.find(tenant, scanId).map(ScanJobsService::view);
    }

    @Override
    public Optional<InputStream> results(String tenant, String scanId, ResultFormat format) {
        return jobs.report(tenant, scanId, format == ResultFormat.SARIF ? ReportFormat.SARIF : ReportFormat.JSON);
    }

    @Override
    public int queueDepth() {
        return jobs.queueDepth();
    }

    @Override
    public void onFinished(Consumer<Finished> listener) {
        jobs.onFinished(job -> listener.accept(new Finished(job.id(), job.state() == ScanJob.State.DONE,
                job.startedAt() == null || job.finishedAt() == null ? Duration.ZERO : Duration.between(job.startedAt(), job.finishedAt()),
                job.findings() + job.vulnerableDependencies())));
    }

    private static ScanView view(ScanJob job) {
        String state = switch (job.state()) {
            case QUEUED, RUNNING -> job.state().name().toLowerCase(Locale.ROOT);
            case DONE -> "succeeded";
            case FAILED -> "failed";
        };
        return new ScanView(job.id(), state, job.submittedAt(), job.startedAt(), job.finishedAt(),
                job.state() == ScanJob.State.DONE ? job.findings() + job.vulnerableDependencies() : null, job.releaseId(), job.error());
    }
}

package dev.freshet.updates.jobs;

import dev.freshet.engine.knowledge.Knowledge;
import dev.freshet.engine.report.ReportFormat;
import dev.freshet.updates.rollout.Cohorts;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * Scans one job's tree with one knowledge snapshot and writes its reports. The workers catch
 * whatever it throws (errors included), so a runner need not guard against its own failures.
 */
@FunctionalInterface
public interface ScanRunner {
    /** The report formats a job keeps. */
    List<ReportFormat> FORMATS = List.of(ReportFormat.JSON, ReportFormat.SARIF);

    /**
     * @param jobId   the job, for logs
     * @param unit    whose work it is (tenant and project): picks the rollout cohort
     * @param root    the real path to scan: a directory or a file
     * @param reports opens the writer of each of {@link #FORMATS}; what is written goes to the store as it comes
     */
    Scanned run(String jobId, Unit unit, Knowledge snapshot, Path root, Reports reports) throws IOException;

    /**
     * The unit of work a scan belongs to: its tenant and project (the path or upload name scanned), and
     * the cohort its caller asked for ({@link Cohorts.Requested#OWN_BUCKET} for the unit's sticky bucket).
     */
    record Unit(String tenant, String project, Cohorts.Requested cohort) {
        public Unit(String tenant, String project) {
            this(tenant, project, Cohorts.Requested.OWN_BUCKET);
        }
    }

    /** Where a scan's reports go. */
    @FunctionalInterface
    interface Reports {
        /** A writer for the report in {@code format}; the runner closes it once the report is written. */
        Writer open(ReportFormat format);
    }

    /**
     * What a scan found.
     *
     * @param releaseId the release whose rules served the scan (during a rollout, stable or the candidate)
     * @param truncated whether the scan stopped at its limit of findings
     */
    record Scanned(String releaseId, int findings, int vulnerableDependencies, boolean truncated) {
    }
}

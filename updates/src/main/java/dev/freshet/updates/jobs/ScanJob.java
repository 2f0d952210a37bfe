package dev.freshet.updates.jobs;

import java.time.Instant;

/**
 * A scan as a job in the queue, as its tenant sees it.
 *
 * @param source                  the scanned path, or the uploaded archive's file name
 * @param startedAt               when the latest attempt started, null while queued
 * @param releaseId               the release whose knowledge the scan used, null until it ran
 * @param findings                code findings, once DONE (else 0)
 * @param vulnerableDependencies  dependencies found vulnerable, once DONE (else 0)
 * @param error                   why the job FAILED, else null
 */
public record ScanJob(String id, String tenant, State state, String source, Instant submittedAt, Instant startedAt,
                      Instant finishedAt, String releaseId, int findings, int vulnerableDependencies, String error) {

    public enum State {
        QUEUED, RUNNING, DONE, FAILED;

        public boolean finished() {
            return this == DONE || this == FAILED;
        }
    }
}

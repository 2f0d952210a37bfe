-- Reports are written to the store and read from it a chunk at a time, so neither a worker nor a
-- download holds a whole report in memory or a connection for a whole transfer. Each chunk carries
-- the claim (owner) of the attempt that wrote it: when a job ends, only the finishing attempt's stay.
CREATE TABLE scan_job_report_chunks (
    job_id  TEXT    NOT NULL,
    format  TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    owner   TEXT    NOT NULL,
    content TEXT    NOT NULL,
    PRIMARY KEY (job_id, format, seq, owner)
);
INSERT INTO scan_job_report_chunks (job_id, format, seq, owner, content)
    SELECT job_id, format, 0, '', content FROM scan_job_reports;
DROP TABLE scan_job_reports;

-- Uploads wait as files under the data directory of the node that took them, not as blobs in the
-- store; upload_store names that directory, so only nodes sharing it claim the job. An upload still
-- waiting in the old table cannot be moved to a file here: its job fails with a clear reason.
ALTER TABLE scan_jobs ADD COLUMN upload_store TEXT;
UPDATE scan_jobs SET state = 'FAILED', finished_at = submitted_at, owner = NULL, lease_until = NULL,
                     error = 'uploaded before an upgrade that moved uploads out of the store; upload the archive again'
    WHERE source_kind = 'UPLOAD' AND state IN ('QUEUED', 'RUNNING');
DROP TABLE scan_job_uploads;

-- Scans as jobs in a persistent queue. A worker claims a QUEUED job with a conditional UPDATE
-- (state = 'QUEUED' in the WHERE clause, one row affected or none), so on a shared database each
-- job is claimed once; the claim carries a lease the worker renews, and a job whose lease ran out
-- (its node died) is queued again. Times are epoch milliseconds.
CREATE TABLE scan_jobs (
    id                      TEXT    NOT NULL PRIMARY KEY,
    tenant                  TEXT    NOT NULL,
    state                   TEXT    NOT NULL,   -- QUEUED, RUNNING, DONE, FAILED
    source_kind             TEXT    NOT NULL,   -- PATH (a path the server reads) or UPLOAD (scan_job_uploads)
    source                  TEXT    NOT NULL,   -- the path, or the uploaded file's name
    submitted_at            BIGINT  NOT NULL,
    started_at              BIGINT,
    finished_at             BIGINT,
    owner                   TEXT,               -- the claim: node and a token of this attempt
    lease_until             BIGINT,
    attempts                INTEGER NOT NULL,
    release_id              TEXT,               -- the knowledge the scan used
    findings                INTEGER NOT NULL,
    vulnerable_dependencies INTEGER NOT NULL,
    error                   TEXT
);
CREATE INDEX scan_jobs_by_state ON scan_jobs (state, submitted_at);
CREATE INDEX scan_jobs_by_tenant ON scan_jobs (tenant, submitted_at);

-- An uploaded archive, kept until its job has finished: whichever node claims the job extracts it.
CREATE TABLE scan_job_uploads (
    job_id  TEXT  NOT NULL PRIMARY KEY REFERENCES scan_jobs (id) ON DELETE CASCADE,
    content BYTEA NOT NULL
);

-- A finished scan's reports, one row per format (json, sarif).
CREATE TABLE scan_job_reports (
    job_id  TEXT NOT NULL REFERENCES scan_jobs (id) ON DELETE CASCADE,
    format  TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (job_id, format)
);

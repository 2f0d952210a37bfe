-- The event log: everything that matters to an operator, appended in the same transaction as the
-- change it records, and never changed. Readers (notifications, dashboard, metrics) keep their own
-- position by id. Nodes also poll the newest ids of a few types to notice changes cheaply.
CREATE TABLE events (
    id                  BIGINT NOT NULL PRIMARY KEY, -- assigned in order by the writing transaction
    occurred_at         BIGINT NOT NULL,
    type                TEXT   NOT NULL,
    severity            TEXT   NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
    release_id          TEXT,
    previous_release_id TEXT,
    payload             TEXT   NOT NULL             -- JSON object
);
CREATE INDEX events_by_type ON events (type, id);

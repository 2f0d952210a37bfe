-- Advisories from feeds (NVD, KEV, GitHub, OSV), each feed's copy kept apart so a feed's update
-- replaces only its own records; they are merged by shared ids when loaded. Portable SQL as in V1.

-- One feed's copy of one advisory, normalized: the record is the JSON of the engine's Advisory.
CREATE TABLE advisories (
    feed        TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    modified_at BIGINT,                          -- the record's own modification time, when it has one
    withdrawn   BOOLEAN NOT NULL,
    record      TEXT    NOT NULL,
    stored_at   BIGINT  NOT NULL,
    PRIMARY KEY (feed, id)
);
CREATE INDEX advisories_by_modified ON advisories (modified_at);

-- Every id an advisory is known by (its own and its aliases), to find it by any of them.
CREATE TABLE advisory_ids (
    feed        TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    alias       TEXT NOT NULL,
    PRIMARY KEY (feed, advisory_id, alias),
    FOREIGN KEY (feed, advisory_id) REFERENCES advisories (feed, id) ON DELETE CASCADE
);
CREATE INDEX advisory_ids_by_alias ON advisory_ids (alias);

-- Where each feed's sync stands. sync_cursor is the feed's own resume point, written in the same
-- transaction as the page it follows.
CREATE TABLE feed_state (
    feed            TEXT   NOT NULL PRIMARY KEY,
    sync_cursor     TEXT,
    last_attempt_at BIGINT,
    last_success_at BIGINT,
    last_error      TEXT,
    record_count    BIGINT NOT NULL DEFAULT 0
);

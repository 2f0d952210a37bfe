-- Freshet store, schema 1. Portable SQL that runs unchanged on SQLite and PostgreSQL: only TEXT,
-- BIGINT, INTEGER and BOOLEAN; times are epoch milliseconds (BIGINT); ids and sequence numbers are
-- assigned by the application inside its transaction, since the two databases share no
-- auto-increment syntax. Release content and history are append-only.

-- Immutable content (rule YAML), addressed by the hex SHA-256 of its UTF-8 bytes and shared by
-- every release that contains it.
CREATE TABLE blobs (
    sha256     TEXT   NOT NULL PRIMARY KEY,
    content    TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One immutable release: its id is the SHA-256 over its sorted (rule id, rule sha256) list.
CREATE TABLE releases (
    id             TEXT    NOT NULL PRIMARY KEY,
    seq            BIGINT  NOT NULL UNIQUE,   -- creation order
    created_at     BIGINT  NOT NULL,
    parent_id      TEXT    REFERENCES releases (id),
    rule_count     INTEGER NOT NULL,
    accepted_count INTEGER NOT NULL,
    rejected_count INTEGER NOT NULL,
    skipped_count  INTEGER NOT NULL,
    added_count    INTEGER NOT NULL,
    removed_count  INTEGER NOT NULL,
    changed_count  INTEGER NOT NULL,
    gate_report    TEXT    NOT NULL,          -- JSON: the validation gate's verdicts
    diff           TEXT    NOT NULL           -- JSON: added/removed/changed rules against parent_id
);

-- The rules of a release, and where each came from.
CREATE TABLE release_rules (
    release_id TEXT NOT NULL REFERENCES releases (id),
    rule_id    TEXT NOT NULL,
    source     TEXT NOT NULL,
    path       TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (release_id, rule_id)
);
CREATE INDEX release_rules_by_rule ON release_rules (rule_id);

-- Every activation and rollback, appended and never changed. The row with the highest seq names
-- the active release: a rollback is one inserted row.
CREATE TABLE activations (
    seq                 BIGINT NOT NULL PRIMARY KEY,
    release_id          TEXT   NOT NULL REFERENCES releases (id),
    previous_release_id TEXT   REFERENCES releases (id),
    activated_at        BIGINT NOT NULL,
    kind                TEXT   NOT NULL CHECK (kind IN ('ACTIVATE', 'ROLLBACK')),
    triggered_by        TEXT   NOT NULL CHECK (triggered_by IN ('SCHEDULE', 'USER', 'AUTOMATIC')),
    reason              TEXT
);
CREATE INDEX activations_by_time ON activations (activated_at);

-- Local overrides, declared by rule id and re-applied to every release. base_sha256 is the
-- upstream rule's hash when the override was made, to notice upstream changes underneath it.
CREATE TABLE overrides (
    id          BIGINT NOT NULL PRIMARY KEY,
    rule_id     TEXT   NOT NULL,
    kind        TEXT   NOT NULL CHECK (kind IN ('DISABLE', 'SEVERITY', 'EXCLUDE_PATHS', 'ADD_PATTERN_NOT')),
    value       TEXT,                         -- severity, JSON list of globs, or pattern text
    base_sha256 TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX overrides_by_rule ON overrides (rule_id);

-- Configured knowledge sources and what was last seen of each.
CREATE TABLE sources (
    name            TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,             -- signed repository, git or directory
    location        TEXT    NOT NULL,             -- URL or path
    channel         TEXT    NOT NULL DEFAULT 'stable',
    schedule        TEXT,                         -- cron expression; none: checked on demand only
    priority        INTEGER NOT NULL DEFAULT 0,   -- resolves duplicate rule ids across sources
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    tests_required  BOOLEAN NOT NULL DEFAULT FALSE,
    trusted_authors TEXT    NOT NULL DEFAULT '[]', -- JSON list (git sources)
    paths           TEXT    NOT NULL DEFAULT '[]', -- JSON list of rule paths inside the source
    last_revision   TEXT,                         -- commit, targets version or content hash
    last_checked_at BIGINT,
    last_changed_at BIGINT,
    etag            TEXT,                         -- conditional requests
    last_modified   TEXT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL
);

-- Trusted signed metadata of a signed source (root, timestamp, snapshot, targets): versions may
-- never go down, so they must survive restarts.
CREATE TABLE source_metadata (
    source_name TEXT   NOT NULL REFERENCES sources (name) ON DELETE CASCADE,
    role        TEXT   NOT NULL,
    version     BIGINT NOT NULL,
    expires_at  BIGINT,
    content     TEXT   NOT NULL,                  -- the signed JSON document as received
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (source_name, role)
);

-- Updates found by a check that may not apply them now (outside the maintenance window, or
-- waiting for approval).
CREATE TABLE pending_updates (
    id          BIGINT  NOT NULL PRIMARY KEY,
    source_name TEXT    NOT NULL REFERENCES sources (name) ON DELETE CASCADE,
    revision    TEXT    NOT NULL,
    detected_at BIGINT  NOT NULL,
    security    BOOLEAN NOT NULL DEFAULT FALSE,
    summary     TEXT,
    release_id  TEXT    REFERENCES releases (id), -- the candidate release, once built
    status      TEXT    NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'APPROVED', 'APPLIED', 'DISMISSED', 'SUPERSEDED')),
    resolved_at BIGINT,
    UNIQUE (source_name, revision)
);

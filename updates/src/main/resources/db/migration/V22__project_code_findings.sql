-- What the code rules find in watched projects, beside their vulnerable dependencies. A finding is
-- known by its fingerprint (rule id, path, normalized matched code), so it keeps its first-seen time
-- when lines move; line is where the latest scan saw it.
CREATE TABLE project_code_findings (
    project      TEXT    NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    fingerprint  TEXT    NOT NULL,
    rule_id      TEXT    NOT NULL,
    severity     TEXT    NOT NULL,
    path         TEXT    NOT NULL,
    line         INTEGER NOT NULL,
    message      TEXT    NOT NULL,
    release_id   TEXT    NOT NULL,   -- the release whose rules first found it
    first_seen   BIGINT  NOT NULL,
    last_seen    BIGINT  NOT NULL,
    resolved_at  BIGINT,             -- when a later scan no longer found it
    PRIMARY KEY (project, fingerprint)
);

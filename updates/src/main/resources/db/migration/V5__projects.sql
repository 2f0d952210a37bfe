-- Watched projects: after every activation their dependencies are matched again, and what is found
-- is kept with when it was first and last seen, so the time from an advisory's publication to a
-- finding in a project can be measured and a new finding told apart from an old one.
CREATE TABLE projects (
    name         TEXT   NOT NULL PRIMARY KEY,
    path         TEXT   NOT NULL,
    added_at     BIGINT NOT NULL,
    last_scan_at BIGINT,
    stack        TEXT                  -- JSON: languages, ecosystems, frameworks of the last scan
);

CREATE TABLE project_findings (
    project       TEXT    NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    advisory_id   TEXT    NOT NULL,
    package       TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    lockfile      TEXT    NOT NULL,
    ecosystem     TEXT    NOT NULL,
    reachability  TEXT    NOT NULL,
    release_id    TEXT    NOT NULL,   -- the release whose rules first found it
    first_seen    BIGINT  NOT NULL,
    last_seen     BIGINT  NOT NULL,
    resolved_at   BIGINT,             -- when a later scan no longer found it
    PRIMARY KEY (project, advisory_id, package, version, lockfile)
);

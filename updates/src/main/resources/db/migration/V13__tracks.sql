-- Releases belong to a track: a line of releases of one kind of knowledge ('rules', later
-- 'models/<name>' and 'tenants/<id>/rules'). Everything stored so far is the global rule set, so
-- every existing release, history row, override and pending update moves to the 'rules' track by
-- the column default: nothing is copied, nothing is lost. Sequence numbers stay global, so one
-- history orders the changes of all tracks.
ALTER TABLE releases ADD COLUMN track TEXT NOT NULL DEFAULT 'rules';
ALTER TABLE activations ADD COLUMN track TEXT NOT NULL DEFAULT 'rules';
ALTER TABLE overrides ADD COLUMN track TEXT NOT NULL DEFAULT 'rules';
ALTER TABLE pending_updates ADD COLUMN track TEXT NOT NULL DEFAULT 'rules';
CREATE INDEX releases_by_track ON releases (track, seq);
CREATE INDEX activations_by_track ON activations (track, seq);

-- A release may need a release of another track to be live (a tenant's rules need a global rule
-- release; a model needs a feature-schema version).
CREATE TABLE release_needs (
    release_id        TEXT NOT NULL REFERENCES releases (id),
    track             TEXT NOT NULL,
    needed_release_id TEXT NOT NULL REFERENCES releases (id),
    PRIMARY KEY (release_id, track)
);

-- Rollouts: a release of a track moving through the steps of its plan (shadow, then weights).
-- The row is the rollout's whole state, so a restarted or second node continues at its step.
CREATE TABLE rollouts (
    id                BIGINT  NOT NULL PRIMARY KEY,
    track             TEXT    NOT NULL,
    release_id        TEXT    NOT NULL REFERENCES releases (id),
    stable_release_id TEXT    REFERENCES releases (id),
    plan              TEXT    NOT NULL,          -- JSON: steps, interval, thresholds, failure limit
    step              INTEGER NOT NULL,          -- index into the plan's steps
    state             TEXT    NOT NULL CHECK (state IN ('RUNNING', 'PAUSED', 'PROMOTED', 'ROLLED_BACK', 'ABORTED')),
    failures          INTEGER NOT NULL,
    step_started_at   BIGINT  NOT NULL,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    reason            TEXT,
    analysis          TEXT                       -- JSON: the newest analysis
);
CREATE INDEX rollouts_by_track ON rollouts (track, id);

-- One scan's figures for one arm of a rollout, written by whichever node ran it: the analysis
-- reads every node's work from here.
CREATE TABLE rollout_scans (
    rollout_id  BIGINT  NOT NULL REFERENCES rollouts (id),
    step        INTEGER NOT NULL,
    arm         TEXT    NOT NULL CHECK (arm IN ('STABLE', 'CANDIDATE', 'SHADOW')),
    scanned_at  BIGINT  NOT NULL,
    unit        TEXT    NOT NULL,               -- tenant/project
    duration_ms BIGINT  NOT NULL,
    failed      BOOLEAN NOT NULL,
    lines       BIGINT  NOT NULL,
    findings    INTEGER NOT NULL
);
CREATE INDEX rollout_scans_by_step ON rollout_scans (rollout_id, step, arm);

-- What the candidate changed per rule on a shadowed scan: stored, never returned to the caller.
CREATE TABLE rollout_rule_changes (
    rollout_id BIGINT  NOT NULL REFERENCES rollouts (id),
    scanned_at BIGINT  NOT NULL,
    unit       TEXT    NOT NULL,
    rule_id    TEXT    NOT NULL,
    added      INTEGER NOT NULL,
    removed    INTEGER NOT NULL
);
CREATE INDEX rollout_rule_changes_by_rollout ON rollout_rule_changes (rollout_id, rule_id);

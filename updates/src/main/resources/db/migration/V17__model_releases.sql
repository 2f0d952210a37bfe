-- Model versions are releases on their track 'models/<name>': the artifact is the release's one
-- item, its JSON a blob addressed by SHA-256 like every rule's YAML. What only some kinds of
-- release have goes into notes (JSON): a model's evaluation figures and training provenance, and
-- the gate's refusals (a refused release is kept with its reasons and can never be activated).
-- NULL for every release stored before, which therefore reads as it did.
ALTER TABLE releases ADD COLUMN notes TEXT;

-- Scored requests of a model rollout, summed per node over a short interval (a row per request
-- would cost more than the scoring): the analysis reads every node's figures from here.
CREATE TABLE rollout_scores (
    rollout_id  BIGINT  NOT NULL REFERENCES rollouts (id),
    step        INTEGER NOT NULL,
    arm         TEXT    NOT NULL CHECK (arm IN ('STABLE', 'CANDIDATE', 'SHADOW')),
    recorded_at BIGINT  NOT NULL,
    requests    BIGINT  NOT NULL,
    anomalous   BIGINT  NOT NULL,
    failed      BIGINT  NOT NULL,
    micros      BIGINT  NOT NULL           -- scoring time of these requests together
);
CREATE INDEX rollout_scores_by_step ON rollout_scores (rollout_id, step, arm);

-- What operators said about a model's verdicts: a flagged request that was benign, an attack it
-- let through. Counted per release (model version); the request is kept as scored.
CREATE TABLE model_feedback (
    id          BIGINT NOT NULL PRIMARY KEY,
    track       TEXT   NOT NULL,
    release_id  TEXT   NOT NULL REFERENCES releases (id),
    kind        TEXT   NOT NULL CHECK (kind IN ('FALSE_POSITIVE', 'MISSED_ATTACK')),
    request     TEXT   NOT NULL,
    note        TEXT,
    reported_by TEXT,
    reported_at BIGINT NOT NULL
);
CREATE INDEX model_feedback_by_release ON model_feedback (release_id, kind);

-- Shadow evidence per rule, not only per scan: each side's matching time and errors with the rule.
ALTER TABLE rollout_rule_changes ADD COLUMN stable_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollout_rule_changes ADD COLUMN candidate_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollout_rule_changes ADD COLUMN stable_errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollout_rule_changes ADD COLUMN candidate_errors INTEGER NOT NULL DEFAULT 0;

-- Community learning: feedback on findings, the reputation of who gives it, rules on probation,
-- contributed rules and rule patches proposed from feedback.

-- One verdict on one finding (or a finding the rule missed), attributed to a key of a tenant.
CREATE TABLE feedback (
    id          BIGINT  NOT NULL PRIMARY KEY,
    received_at BIGINT  NOT NULL,
    tenant      TEXT    NOT NULL,
    contributor TEXT    NOT NULL,               -- the caller's key id, 'cli' for the store's owner, 'anonymous'
    rule_id     TEXT    NOT NULL,
    release_id  TEXT,                           -- the rules release the finding came from (the active one when not given)
    verdict     TEXT    NOT NULL CHECK (verdict IN ('TRUE_POSITIVE', 'FALSE_POSITIVE', 'WONT_FIX', 'FALSE_NEGATIVE')),
    fingerprint TEXT,                           -- the finding's stable fingerprint; null for a false negative
    path        TEXT,
    language    TEXT,
    code        TEXT,                           -- the matched code, or the code the rule missed
    accuracy    INTEGER,                        -- ratings 1..5
    usefulness  INTEGER,
    comment     TEXT,
    settled     BOOLEAN NOT NULL DEFAULT FALSE  -- its contributor's reputation has been adjusted by the consensus
);
CREATE INDEX feedback_by_rule ON feedback (rule_id, id);
CREATE INDEX feedback_unsettled ON feedback (settled, rule_id);

-- Reputation is a ledger: each gain or loss once, by key (a contribution reviewed, a batch settled).
CREATE TABLE reputation_entries (
    contributor TEXT             NOT NULL,
    entry_key   TEXT             NOT NULL,
    delta       DOUBLE PRECISION NOT NULL,
    reason      TEXT             NOT NULL,
    recorded_at BIGINT           NOT NULL,
    PRIMARY KEY (contributor, entry_key)
);

-- A rule on probation: the generated override that demotes it, and the evidence for it.
CREATE TABLE probations (
    id          BIGINT NOT NULL PRIMARY KEY,
    rule_id     TEXT   NOT NULL,
    override_id BIGINT,                         -- the override made for it (removed when it ends)
    started_at  BIGINT NOT NULL,
    evidence    TEXT   NOT NULL,                -- JSON: the rule's health when it began
    ended_at    BIGINT,
    end_reason  TEXT,
    end_evidence TEXT
);
CREATE INDEX probations_by_rule ON probations (rule_id, id);

-- Processed feedback batches, for the record and for timing.
CREATE TABLE feedback_batches (
    id            BIGINT NOT NULL PRIMARY KEY,
    ran_at        BIGINT NOT NULL,
    through_id    BIGINT NOT NULL,              -- the newest feedback record it saw
    records       BIGINT NOT NULL,
    duration_ms   BIGINT NOT NULL,
    summary       TEXT   NOT NULL               -- JSON: probations begun and ended, reputation settled
);

-- A contributed rule (or change, test, documentation) with the gate's report and its review.
CREATE TABLE contributions (
    id            BIGINT NOT NULL PRIMARY KEY,
    submitted_at  BIGINT NOT NULL,
    tenant        TEXT   NOT NULL,
    contributor   TEXT   NOT NULL,
    kind          TEXT   NOT NULL CHECK (kind IN ('NEW_RULE', 'RULE_IMPROVEMENT', 'BUG_FIX', 'TEST_CASE', 'DOCUMENTATION', 'RULE_PATCH')),
    title         TEXT   NOT NULL,
    license       TEXT   NOT NULL,
    files         TEXT   NOT NULL,              -- JSON: [{path, content}]
    rule_ids      TEXT   NOT NULL,              -- JSON: the rule ids its rule files hold
    state         TEXT   NOT NULL CHECK (state IN ('GATE_REJECTED', 'PENDING_REVIEW', 'APPROVED', 'REJECTED')),
    gate_report   TEXT   NOT NULL,              -- JSON: the gate's verdicts
    reviewer      TEXT,
    reviewed_at   BIGINT,
    review_reason TEXT,
    feedback_ids  TEXT                          -- JSON: the feedback a rule patch was made from
);
CREATE INDEX contributions_by_state ON contributions (state, id);

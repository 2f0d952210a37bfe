-- Custom rules on demand: a tenant's plan, its credits, its generation requests and its rule library.

-- A tenant's plan. New tenants start on 'free' (no custom rules); the default tenant, made on the
-- first start, is on 'standard' so custom rules work out of the box.
ALTER TABLE tenants ADD COLUMN tier TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'standard', 'premium'));
UPDATE tenants SET tier = 'standard' WHERE name = 'default';

-- Credits: an append-only ledger, never a counter updated in place. Each entry carries the balance
-- after it, numbered per tenant: two writers that read the same balance take the same tenant_seq and
-- one of them fails, so the CHECK below holds on every node. The idempotency key makes a retried
-- request, a restart after a crash or a second node write the same charge at most once.
CREATE TABLE credit_ledger (
    tenant          TEXT   NOT NULL REFERENCES tenants (name),
    tenant_seq      BIGINT NOT NULL,
    idempotency_key TEXT   NOT NULL UNIQUE,
    kind            TEXT   NOT NULL CHECK (kind IN ('GRANT', 'PROCESSING', 'SUCCESS')),
    amount          BIGINT NOT NULL,            -- positive for a grant, negative for a charge
    balance_after   BIGINT NOT NULL CHECK (balance_after >= 0),
    request_id      TEXT,
    reason          TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant, tenant_seq)
);

-- One request for custom rules: accepted (processing fee charged), then each rule's outcome, then
-- done. A request left unfinished by a crash is taken up again where it stopped.
CREATE TABLE generation_requests (
    id           TEXT    NOT NULL PRIMARY KEY,
    tenant       TEXT    NOT NULL REFERENCES tenants (name),
    project      TEXT    NOT NULL,              -- the directory whose stack the rules are for
    quantity     INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    model        TEXT    NOT NULL,              -- offline, standard, pro or max
    stack        TEXT    NOT NULL,              -- JSON: the stack the rules were made for
    state        TEXT    NOT NULL CHECK (state IN ('ACCEPTED', 'DONE')),
    release_id   TEXT,
    created_at   BIGINT  NOT NULL,
    finished_at  BIGINT
);
CREATE INDEX generation_requests_unfinished ON generation_requests (state, created_at);

-- Each requested rule's outcome, written with its success fee in one transaction.
CREATE TABLE generation_outcomes (
    request_id TEXT    NOT NULL REFERENCES generation_requests (id),
    idx        INTEGER NOT NULL,
    rule_id    TEXT    NOT NULL,
    outcome    TEXT    NOT NULL CHECK (outcome IN ('validated', 'failed')),
    attempts   INTEGER NOT NULL,
    reason     TEXT,
    yaml       TEXT,
    took_ms    BIGINT  NOT NULL,
    PRIMARY KEY (request_id, idx)
);

-- A tenant's own validated rules: released on its track tenants/<id>/rules, used only by its scans.
CREATE TABLE custom_rule_library (
    tenant        TEXT   NOT NULL REFERENCES tenants (name),
    rule_id       TEXT   NOT NULL,
    yaml          TEXT   NOT NULL,
    sha256        TEXT   NOT NULL,
    tests         TEXT   NOT NULL,               -- JSON: file name to content (vulnerable and safe example)
    stack         TEXT   NOT NULL,               -- JSON: the stack it was made for
    ai_metadata   TEXT   NOT NULL,               -- JSON: generator, model, prompt version, attempts
    request_id    TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (tenant, rule_id)
);

-- Notifications: each channel (a webhook, a Slack webhook, an e-mail list) reads the event log
-- from its own cursor. Reading moves the cursor and files the events into deliveries in one
-- transaction, so an event is filed exactly once; a delivery keeps its id (the receiver's
-- idempotency key) across retries and restarts until the receiver accepts it.
CREATE TABLE notification_cursors (
    channel       TEXT   NOT NULL PRIMARY KEY,
    last_event_id BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE notification_deliveries (
    id           TEXT    NOT NULL PRIMARY KEY,  -- also the idempotency key the receiver sees
    channel      TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('IMMEDIATE', 'DIGEST')),
    -- COLLECTING: a digest still taking events until due_at; PENDING: to be sent at due_at
    status       TEXT    NOT NULL CHECK (status IN ('COLLECTING', 'PENDING', 'DELIVERED')),
    created_at   BIGINT  NOT NULL,
    due_at       BIGINT  NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease_until  BIGINT,                        -- a node sending it; another node leaves it alone until then
    delivered_at BIGINT,
    last_error   TEXT
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, due_at);

CREATE TABLE notification_delivery_events (
    delivery_id TEXT   NOT NULL,
    event_id    BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, event_id)
);

-- When a feed was reported stale (FEED_STALE), until a sync succeeds again (FEED_RECOVERED).
ALTER TABLE feed_state ADD COLUMN stale_since BIGINT;

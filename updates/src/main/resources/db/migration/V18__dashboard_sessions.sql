-- Dashboard sign-ins: a browser that signed in with an API key holds a random session token in a
-- cookie; the store keeps only the token's SHA-256, the key it stands for and the CSRF token its forms
-- carry, so every node behind a load balancer knows the session. A revoked key ends its sessions.
CREATE TABLE dashboard_sessions (
    token_sha256 TEXT   NOT NULL PRIMARY KEY,
    key_id       TEXT   NOT NULL REFERENCES api_keys (id),
    csrf_token   TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);

-- Tenants and their API keys for the HTTP service. A key is shown once when it is made; only the
-- hex SHA-256 of it is kept, so the store never holds a usable secret. Knowledge (releases,
-- sources, overrides, feeds) is shared by all tenants; projects (and scans) belong to one.
CREATE TABLE tenants (
    name       TEXT   NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT   NOT NULL PRIMARY KEY,        -- public id, to list and revoke a key by
    tenant     TEXT   NOT NULL REFERENCES tenants (name),
    role       TEXT   NOT NULL,                    -- ADMIN, OPERATOR or VIEWER
    label      TEXT,
    sha256     TEXT   NOT NULL UNIQUE,             -- hex SHA-256 of the whole key
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Which tenant owns a watched project, and the name the tenant knows it by (the project's own
-- name is made unique across tenants). Removing the project removes its owner row.
CREATE TABLE tenant_projects (
    project    TEXT NOT NULL PRIMARY KEY REFERENCES projects (name) ON DELETE CASCADE,
    tenant     TEXT NOT NULL REFERENCES tenants (name),
    local_name TEXT NOT NULL,
    UNIQUE (tenant, local_name)
);

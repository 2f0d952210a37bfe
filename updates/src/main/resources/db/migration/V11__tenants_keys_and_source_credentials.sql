-- Tenants can be deleted: their keys are revoked (and kept, for the record), their projects and scans
-- removed, and the tenant row is marked, since revoked keys still name it.
ALTER TABLE tenants ADD COLUMN deleted_at BIGINT;

-- Managing tenants (and any tenant's keys) needs the global admin role; an admin acts within its own
-- tenant. The key made on first start is the global one: a store made before this keeps its key's powers.
UPDATE api_keys SET role = 'GLOBAL_ADMIN' WHERE role = 'ADMIN' AND label = 'made on first start';

-- A source location's credentials (https://deploy:TOKEN@host/..., ?access_token=...) are kept apart:
-- `location` holds the location as shown, with them hidden as ***; `secret_location` the location
-- as fetched, only when it differs. Nothing reads secret_location but the fetch.
ALTER TABLE sources ADD COLUMN secret_location TEXT;

-- A source location's credentials (https://deploy:TOKEN@host/..., ?access_token=...) are kept apart:
-- `location` holds the location as shown, with them hidden as ***; `secret_location` the location
-- as fetched, only when it differs. Nothing reads secret_location but the fetch.
ALTER TABLE sources ADD COLUMN secret_location TEXT;

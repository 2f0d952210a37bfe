-- With several nodes on one store, a worker claims an accepted request before making its rules:
-- owner is the claim's token and lease_until (epoch millis) when it runs out unless renewed, so a
-- request is made by one worker at a time and one whose node died is taken up after the lease.
ALTER TABLE generation_requests ADD COLUMN owner TEXT;
ALTER TABLE generation_requests ADD COLUMN lease_until BIGINT;

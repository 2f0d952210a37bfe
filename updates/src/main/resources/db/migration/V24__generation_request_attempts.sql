-- A request that cannot be made must not be retried for ever: claims counts how often a worker
-- took it up (after an error, or after its node died), and failure keeps the last reason it could
-- not be made. Past the limit the request is done with that failure, and what it could not make is
-- refunded. The follow-up scan of a done request is claimed with owner/lease_until too, so that of
-- two nodes only one queues it.
ALTER TABLE generation_requests ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generation_requests ADD COLUMN failure TEXT;

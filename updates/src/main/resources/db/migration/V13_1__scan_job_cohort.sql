-- The cohort a caller asked for when it queued a scan (CANDIDATE or STABLE), kept with the job so
-- that whichever node runs it honours the request; NULL for the unit's own sticky bucket.
ALTER TABLE scan_jobs ADD COLUMN cohort TEXT;

-- A probation is a release: the rules release again with a generated override demoting the rule
-- (kept in the release's notes), made live like any update. The probation row keeps the evidence
-- and which releases began and lifted it.
ALTER TABLE probations ADD COLUMN release_id TEXT;             -- the release that put the rule on probation
ALTER TABLE probations ADD COLUMN lift_release_id TEXT;        -- the release a batch lifted it with
ALTER TABLE probations ADD COLUMN through_feedback_id BIGINT;  -- the newest feedback its evidence saw

-- Probations from before were local overrides outside the history: they end here with their
-- overrides, and the next batch puts the rules that are still noisy on probation again, as releases.
DELETE FROM overrides WHERE id IN (SELECT override_id FROM probations WHERE ended_at IS NULL AND override_id IS NOT NULL);
UPDATE probations SET ended_at = COALESCE((SELECT MAX(ran_at) FROM feedback_batches), started_at),
                      end_reason = 'ended by the upgrade to probation releases; the next feedback batch decides again'
WHERE ended_at IS NULL;

-- Reputation is settled per finding: the batch finds the unsettled verdicts by fingerprint.
CREATE INDEX feedback_by_fingerprint ON feedback (fingerprint, settled);

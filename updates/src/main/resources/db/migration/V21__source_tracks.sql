-- The track a source feeds: 'rules' for rule sources (every source so far), 'models/<name>' for a
-- source of model versions. Rule checks read only the sources of 'rules'.
ALTER TABLE sources ADD COLUMN track TEXT NOT NULL DEFAULT 'rules';

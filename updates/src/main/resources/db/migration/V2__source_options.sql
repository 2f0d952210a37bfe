-- Kind-specific settings of a source that have no column yet: a git source's branch and a signed
-- repository's trusted root file (the operator's starting point of trust).
ALTER TABLE sources ADD COLUMN branch TEXT;
ALTER TABLE sources ADD COLUMN trusted_root TEXT;

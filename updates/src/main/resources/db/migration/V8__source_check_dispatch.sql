-- Sources are no longer scheduled one task each ('check-source-<name>'): one dispatcher task
-- ('check-sources') reads the sources table at every tick, so sources added while the service
-- runs are checked without a restart. The old per-source tasks would only be reported as unknown.
DELETE FROM scheduled_tasks WHERE task_name LIKE 'check-source-%';

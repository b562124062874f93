-- Issue 8: services take their actor as an argument, and the command line is an actor of its own: an
-- operator's command is neither a client's request nor Wharf's own background work.
-- Outside a transaction (.conf), so that the table is locked exclusively only for the moment the new
-- constraint is added NOT VALID; the scan that validates the existing rows then runs beside reads and writes.
-- Each statement can run again after a failure part-way.
ALTER TABLE audit_logs DROP CONSTRAINT IF EXISTS chk_audit_logs_actor_type;
ALTER TABLE audit_logs ADD CONSTRAINT chk_audit_logs_actor_type CHECK (actor_type IN ('client', 'system', 'cli')) NOT VALID;
ALTER TABLE audit_logs VALIDATE CONSTRAINT chk_audit_logs_actor_type;
COMMENT ON COLUMN audit_logs.actor_type IS 'client: a request with an API key (user_id is its X-User-Id, as sent); system: Wharf itself; cli: an operator''s command (user_id is the operator)';

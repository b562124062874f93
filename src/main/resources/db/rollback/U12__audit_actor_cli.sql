-- Undoes V12. Rows an operator's command wrote are kept as Wharf's own (system), the nearest V11 knows.
BEGIN;
ALTER TABLE audit_logs DROP CONSTRAINT IF EXISTS chk_audit_logs_actor_type;
UPDATE audit_logs SET actor_type = 'system' WHERE actor_type = 'cli';
ALTER TABLE audit_logs ADD CONSTRAINT chk_audit_logs_actor_type CHECK (actor_type IN ('client', 'system'));
COMMENT ON COLUMN audit_logs.actor_type IS 'client: a request with an API key (user_id is its X-User-Id, as sent); system: Wharf itself';
DELETE FROM flyway_schema_history WHERE version = '12';
DELETE FROM schema_migrations WHERE version = '12';
COMMIT;

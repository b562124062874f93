-- Undoes V11. Rows written since no longer say whether a client or Wharf wrote them.
BEGIN;
ALTER TABLE audit_logs DROP CONSTRAINT IF EXISTS chk_audit_logs_actor_type;
ALTER TABLE audit_logs DROP COLUMN IF EXISTS actor_type;
DELETE FROM flyway_schema_history WHERE version = '11';
DELETE FROM schema_migrations WHERE version = '11';
COMMIT;

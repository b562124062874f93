-- Undoes V18. Run with: psql -v ON_ERROR_STOP=1 -f U18__audit_logs_redundant_indexes.sql
BEGIN;
CREATE INDEX IF NOT EXISTS ix_audit_logs_action ON audit_logs (action);
CREATE INDEX IF NOT EXISTS ix_audit_logs_resource_type ON audit_logs (resource_type);
CREATE INDEX IF NOT EXISTS ix_audit_logs_tenant_id ON audit_logs (tenant_id);
CREATE INDEX IF NOT EXISTS ix_audit_logs_user_id ON audit_logs (user_id);
DELETE FROM flyway_schema_history WHERE version = '18';
DELETE FROM schema_migrations WHERE version = '18';
COMMIT;

-- Undoes V4: tenants, action and audit logs, and their types. Deletes all their data.
BEGIN;
DROP TABLE IF EXISTS audit_logs;
DROP TABLE IF EXISTS action_logs;
DROP TABLE IF EXISTS tenants;
DROP TYPE IF EXISTS action_status_enum;
DROP TYPE IF EXISTS action_type_enum;
DELETE FROM flyway_schema_history WHERE version = '4';
DELETE FROM schema_migrations WHERE version = '4';
COMMIT;

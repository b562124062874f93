-- Undoes V8 (created_at/updated_at become nullable again, as seed 003 declared them).
BEGIN;
DROP INDEX IF EXISTS ix_connector_profiles_tenant_created;
DROP INDEX IF EXISTS ix_client_configs_tenant_created;
DROP INDEX IF EXISTS ix_service_proposals_tenant_created;
ALTER TABLE connector_profiles DROP COLUMN IF EXISTS version;
ALTER TABLE client_configs DROP COLUMN IF EXISTS version;
ALTER TABLE service_proposals DROP COLUMN IF EXISTS version;
ALTER TABLE connector_profiles ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE client_configs ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN updated_at DROP NOT NULL;
ALTER TABLE service_proposals ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN updated_at DROP NOT NULL;
DELETE FROM flyway_schema_history WHERE version = '8';
DELETE FROM schema_migrations WHERE version = '8';
COMMIT;

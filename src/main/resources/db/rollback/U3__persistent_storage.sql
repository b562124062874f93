-- Undoes V3 (seed 003's downgrade): deletes all data in these tables.
BEGIN;
DROP TABLE IF EXISTS service_proposals;
DROP TABLE IF EXISTS client_configs;
DROP TABLE IF EXISTS connector_profiles;
DROP FUNCTION IF EXISTS wharf_touch_updated_at();
DELETE FROM flyway_schema_history WHERE version = '3';
DELETE FROM schema_migrations WHERE version = '3';
COMMIT;

-- Undoes V9: the document GIN indexes collect new entries in a pending list again (PostgreSQL's default).
BEGIN;
ALTER INDEX IF EXISTS idx_connector_profiles_data RESET (fastupdate);
ALTER INDEX IF EXISTS idx_client_configs_data RESET (fastupdate);
ALTER INDEX IF EXISTS idx_service_proposals_data RESET (fastupdate);
DELETE FROM flyway_schema_history WHERE version = '9';
DELETE FROM schema_migrations WHERE version = '9';
COMMIT;

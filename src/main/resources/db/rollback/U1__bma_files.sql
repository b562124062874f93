-- Undoes V1: seed 000's rollback for files (the table itself may predate Wharf and is kept), and
-- Wharf's BMA transaction tables with their data. This breaks BMA ingestion until V1 is re-applied.
BEGIN;
DROP TABLE IF EXISTS transaction_records;
DROP TABLE IF EXISTS transactions;
DROP INDEX IF EXISTS idx_files_file_type_created_at;

-- Remove indexes
DROP INDEX IF EXISTS idx_files_observation;
DROP INDEX IF EXISTS idx_files_source;

-- Remove columns
ALTER TABLE files DROP COLUMN IF EXISTS observation;
ALTER TABLE files DROP COLUMN IF EXISTS source;

-- Remove enum type (only if no other tables use it)
DROP TYPE IF EXISTS file_source;

DELETE FROM flyway_schema_history WHERE version = '1';
DELETE FROM schema_migrations WHERE version = '1';
COMMIT;

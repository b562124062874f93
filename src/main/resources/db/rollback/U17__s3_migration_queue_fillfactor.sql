-- Undoes V17. Run with: psql -v ON_ERROR_STOP=1 -f U17__s3_migration_queue_fillfactor.sql
BEGIN;
ALTER TABLE s3_migration_log RESET (fillfactor);
DELETE FROM flyway_schema_history WHERE version = '17';
DELETE FROM schema_migrations WHERE version = '17';
COMMIT;

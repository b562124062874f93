-- Undoes V16. Run with: psql -v ON_ERROR_STOP=1 -f U16__s3_migration_queue_indexes.sql (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS ix_s3_migration_log_status_created;
DROP INDEX CONCURRENTLY IF EXISTS ix_s3_migration_log_migrated;
DROP INDEX CONCURRENTLY IF EXISTS ix_s3_migration_log_created;
DELETE FROM flyway_schema_history WHERE version = '16';
DELETE FROM schema_migrations WHERE version = '16';

-- Undoes V14. Run with: psql -v ON_ERROR_STOP=1 -f U14__bma_ingestion_indexes.sql (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS uq_transactions_tenant_external;
DROP INDEX CONCURRENTLY IF EXISTS ix_transactions_tenant_created;
DROP INDEX CONCURRENTLY IF EXISTS idx_files_s3_object;
DELETE FROM flyway_schema_history WHERE version = '14';
DELETE FROM schema_migrations WHERE version = '14';

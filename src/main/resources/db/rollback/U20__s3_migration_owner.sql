-- Undoes V20. Run with: psql -v ON_ERROR_STOP=1 -f U20__s3_migration_owner.sql (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS ix_s3_migration_log_owner_due;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS owner_tenant_id;
DELETE FROM flyway_schema_history WHERE version = '20';
DELETE FROM schema_migrations WHERE version = '20';

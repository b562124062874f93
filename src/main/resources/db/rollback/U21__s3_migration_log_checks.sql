-- Undoes V21. Run with: psql -v ON_ERROR_STOP=1 -f U21__s3_migration_log_checks.sql
-- Rows V21 repaired stay repaired: every version of Wharf reads them as it did before.
BEGIN;
ALTER TABLE s3_migration_log DROP CONSTRAINT IF EXISTS chk_s3_migration_log_failure_reason;
ALTER TABLE s3_migration_log DROP CONSTRAINT IF EXISTS chk_s3_migration_log_lease_pending;
ALTER TABLE s3_migration_log DROP CONSTRAINT IF EXISTS chk_s3_migration_log_lease_token;
ALTER TABLE s3_migration_log DROP CONSTRAINT IF EXISTS chk_s3_migration_log_lease;
COMMENT ON COLUMN s3_migration_log.failure_reason IS 'Why the last attempt failed, as a category (not_found, http_status, too_large, truncated, refused_address, malformed_url, timeout, connection, s3, changed_source, ...)';
DELETE FROM flyway_schema_history WHERE version = '21';
DELETE FROM schema_migrations WHERE version = '21';
COMMIT;

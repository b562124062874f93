-- Issue 10: listing jobs by status and table (newest first), finding the oldest pending job, and walking the
-- migrated jobs for verification, without scanning the queue. Built CONCURRENTLY (outside a transaction, see
-- the .conf beside this script): an adopted queue can be large and stays writable meanwhile.
DO $$
DECLARE
    invalid TEXT;
BEGIN
    FOR invalid IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE c.relname IN ('ix_s3_migration_log_status_created', 'ix_s3_migration_log_migrated', 'ix_s3_migration_log_created')
                     AND NOT i.indisvalid LOOP
        EXECUTE format('DROP INDEX %I', invalid);
    END LOOP;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_s3_migration_log_status_created ON s3_migration_log (migration_status, created_at, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_s3_migration_log_migrated ON s3_migration_log (id) WHERE migration_status = 'migrated';
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_s3_migration_log_created ON s3_migration_log (created_at, id);

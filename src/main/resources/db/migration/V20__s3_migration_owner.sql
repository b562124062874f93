-- Issue 19: copy slots are shared fairly between the parties that queue files: each tenant (a files row's
-- tenant_id, for the images its ingestion queued) and the operator (jobs the scan made from the seed tables'
-- URLs, the nil UUID). The claim takes due jobs owner by owner through the index below, so one owner's
-- thousands of due jobs cannot keep another's from being claimed. Seed columns stay as they are. Run outside a
-- transaction (see the .conf beside this script) so that the index is built CONCURRENTLY on a large queue;
-- every statement can run again after an interruption.
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS owner_tenant_id UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
COMMENT ON COLUMN s3_migration_log.owner_tenant_id IS 'Whose file the job copies, for a fair share of copy slots: the files row''s tenant, or the nil UUID for the operator''s scan of the seed tables';

UPDATE s3_migration_log j SET owner_tenant_id = f.tenant_id
FROM files f
WHERE j.table_name = 'files' AND f.id = j.file_id AND f.tenant_id IS NOT NULL AND j.owner_tenant_id <> f.tenant_id;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE c.relname = 'ix_s3_migration_log_owner_due' AND NOT i.indisvalid) THEN
        DROP INDEX ix_s3_migration_log_owner_due;
    END IF;
END $$;
-- The claim neither sets owner_tenant_id nor next_attempt_at, so claims stay HOT updates.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_s3_migration_log_owner_due ON s3_migration_log (owner_tenant_id, next_attempt_at)
    WHERE migration_status = 'pending';

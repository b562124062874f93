-- Issue 7: audit pages are keyset pages on (created_at, id), newest first, usually without a tenant filter.
-- Only (tenant_id, created_at) was indexed, so an unfiltered page sorted the whole trail. With this index a
-- page is one backward range scan from the cursor, whatever the size of the table. audit_logs grows without
-- bound, so the index is built CONCURRENTLY (writes go on meanwhile), outside a transaction (see the .conf).
-- A concurrent build that was interrupted leaves an INVALID index that IF NOT EXISTS would keep: drop it first.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE c.relname = 'ix_audit_logs_created_id' AND NOT i.indisvalid) THEN
        DROP INDEX ix_audit_logs_created_id;
    END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_audit_logs_created_id ON audit_logs (created_at, id);

-- Issue 9: the indexes ingestion relies on, built CONCURRENTLY (outside a transaction, see the .conf beside
-- this script) so that writes to an adopted, large transactions or files table go on meanwhile.
-- An interrupted concurrent build leaves an INVALID index that IF NOT EXISTS would keep: such ones are dropped first.
DO $$
DECLARE
    dupes BIGINT;
    invalid TEXT;
BEGIN
    SELECT count(*) INTO dupes FROM (
        SELECT 1 FROM transactions GROUP BY tenant_id, external_transaction_id HAVING count(*) > 1) d;
    IF dupes > 0 THEN
        RAISE EXCEPTION 'transactions holds % external_transaction_id values stored more than once for the same tenant; '
            'ingestion is idempotent on (tenant_id, external_transaction_id) and needs them unique. List them with: '
            'SELECT tenant_id, external_transaction_id, count(*) FROM transactions GROUP BY 1, 2 HAVING count(*) > 1', dupes;
    END IF;
    FOR invalid IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                   WHERE c.relname IN ('uq_transactions_tenant_external', 'ix_transactions_tenant_created', 'idx_files_s3_object')
                     AND NOT i.indisvalid LOOP
        EXECUTE format('DROP INDEX %I', invalid);
    END LOOP;
END $$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_transactions_tenant_external ON transactions (tenant_id, external_transaction_id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_transactions_tenant_created ON transactions (tenant_id, created_at, id);
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_files_s3_object ON files (s3_bucket, s3_key) WHERE s3_key IS NOT NULL;

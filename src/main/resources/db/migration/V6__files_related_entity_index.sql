-- The seed's Step 5 query joins files to transaction_records on (related_entity_type, related_entity_id).
-- An adopted files table can be large: the index is built CONCURRENTLY so writes go on meanwhile,
-- which PostgreSQL allows only outside a transaction (see the .conf beside this script).
-- A concurrent build that was interrupted leaves an INVALID index that IF NOT EXISTS would keep: drop it first.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE c.relname = 'idx_files_related_entity' AND NOT i.indisvalid) THEN
        DROP INDEX idx_files_related_entity;
    END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_files_related_entity ON files (related_entity_type, related_entity_id);

-- Issue 9: BMA ingestion. Idempotency (a content hash per transaction, Idempotency-Key answers), presigned
-- uploads that are pending until completed, inline objects written before their rows commit, and migration
-- jobs that point at a files row (files.id is a bigint, s3_migration_log.record_id a UUID).
-- Every statement is safe on an adopted database and when run again.

-- The hash of the request a transaction was stored from: the same id posted again is answered from the
-- stored row when the content is the same, and refused when it differs.
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS content_sha256 TEXT;
COMMENT ON COLUMN transactions.content_sha256 IS 'SHA-256 of the canonical JSON the transaction was ingested from (null for rows Wharf did not ingest)';

-- Answers kept for Idempotency-Key replays (24 h by default, then purged), as the exact bytes first sent.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    tenant_id      UUID        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    endpoint       TEXT        NOT NULL,
    idem_key       TEXT        NOT NULL,
    request_sha256 TEXT        NOT NULL,
    status_code    INTEGER     NOT NULL,
    response_body  TEXT        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (tenant_id, endpoint, idem_key)
);
CREATE INDEX IF NOT EXISTS ix_idempotency_keys_created_at ON idempotency_keys (created_at);
COMMENT ON TABLE idempotency_keys IS 'First answer to each Idempotency-Key, replayed while it is younger than wharf.bma.idempotency-ttl';

-- An inline image is written to S3 before its transaction commits. Until then its key is listed here, so
-- that a concurrent request that fails never deletes an object another one is about to reference, and the
-- sweep knows which young objects are still wanted.
CREATE TABLE IF NOT EXISTS ingest_pending_objects (
    attempt_id UUID        NOT NULL,
    s3_bucket  TEXT        NOT NULL,
    s3_key     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (attempt_id, s3_key)
);
CREATE INDEX IF NOT EXISTS ix_ingest_pending_objects_key ON ingest_pending_objects (s3_bucket, s3_key);
CREATE INDEX IF NOT EXISTS ix_ingest_pending_objects_created_at ON ingest_pending_objects (created_at);
COMMENT ON TABLE ingest_pending_objects IS 'Objects of ingestion requests in flight (written to S3, rows not yet committed)';

-- Presigned uploads: a row is pending until POST /api/uploads/{id}/complete found the object in S3.
-- Rows that existed before are complete (they describe objects already stored).
ALTER TABLE user_uploads ADD COLUMN IF NOT EXISTS upload_status TEXT NOT NULL DEFAULT 'completed';
ALTER TABLE user_uploads ADD COLUMN IF NOT EXISTS completed_at TIMESTAMPTZ;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_uploads_upload_status') THEN
        ALTER TABLE user_uploads ADD CONSTRAINT chk_user_uploads_upload_status CHECK (upload_status IN ('pending', 'completed'));
    END IF;
END $$;
COMMENT ON COLUMN user_uploads.upload_status IS 'pending: presigned URL issued; completed: the object was found in S3 with the declared size and type';

-- A migration job can point at a files row: record_id stays the seed's UUID (derived from the file id by
-- files_record_uuid, so uq_s3_migration_log_source keeps one job per file and URL) and file_id holds the id.
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS file_id BIGINT;
CREATE INDEX IF NOT EXISTS ix_s3_migration_log_file_id ON s3_migration_log (file_id) WHERE file_id IS NOT NULL;
COMMENT ON COLUMN s3_migration_log.file_id IS 'files.id when table_name = ''files'' (record_id is then files_record_uuid(file_id))';

CREATE OR REPLACE FUNCTION files_record_uuid(file_id BIGINT)
RETURNS UUID
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT ('00000000-0000-4000-8000-' || LPAD(TO_HEX(file_id), 12, '0'))::uuid
$$;
COMMENT ON FUNCTION files_record_uuid(BIGINT) IS 's3_migration_log.record_id of a job for files.id (a bigint): 00000000-0000-4000-8000-<id in hex>';

-- Undoes V13. Idempotency answers and the list of in-flight inline objects are dropped; uploads keep their rows.
BEGIN;
DROP FUNCTION IF EXISTS files_record_uuid(BIGINT);
DROP INDEX IF EXISTS ix_s3_migration_log_file_id;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS file_id;
ALTER TABLE user_uploads DROP CONSTRAINT IF EXISTS chk_user_uploads_upload_status;
ALTER TABLE user_uploads DROP COLUMN IF EXISTS completed_at;
ALTER TABLE user_uploads DROP COLUMN IF EXISTS upload_status;
DROP TABLE IF EXISTS ingest_pending_objects;
DROP TABLE IF EXISTS idempotency_keys;
ALTER TABLE transactions DROP COLUMN IF EXISTS content_sha256;
DELETE FROM flyway_schema_history WHERE version = '13';
DELETE FROM schema_migrations WHERE version = '13';
COMMIT;

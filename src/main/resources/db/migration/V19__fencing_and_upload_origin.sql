-- Issue 19: what the migration's fencing and the upload sweeper need.
-- Every statement is safe on an adopted database and when run again.

-- A claim gives a job a new token; an outcome counts only with the token of the claim it came from, so a
-- worker that lost its lease (and perhaps got the same job back later) cannot record an old attempt. The
-- token is also part of the attempt's object key: two attempts never write the same object.
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS claim_token UUID;
COMMENT ON COLUMN s3_migration_log.claim_token IS 'Changes at every claim; outcomes and lease renewals must name it (fencing token)';

-- Only uploads created by Wharf's POST /api/uploads are the upload sweeper's to remove. Rows adopted from
-- seed 001's application, and the rows the migration writes, stay NULL: whatever their expires_at says,
-- their objects are never swept.
ALTER TABLE user_uploads ADD COLUMN IF NOT EXISTS upload_origin TEXT;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_uploads_upload_origin') THEN
        ALTER TABLE user_uploads ADD CONSTRAINT chk_user_uploads_upload_origin CHECK (upload_origin IN ('upload_api'));
    END IF;
END $$;
COMMENT ON COLUMN user_uploads.upload_origin IS 'upload_api: created by POST /api/uploads, removed by the sweep once expired; NULL: any other origin, never swept';

-- Undoes V19. Run with: psql -v ON_ERROR_STOP=1 -f U19__fencing_and_upload_origin.sql
-- The code of an earlier version does not read either column.
BEGIN;
ALTER TABLE user_uploads DROP CONSTRAINT IF EXISTS chk_user_uploads_upload_origin;
ALTER TABLE user_uploads DROP COLUMN IF EXISTS upload_origin;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS claim_token;
DELETE FROM flyway_schema_history WHERE version = '19';
DELETE FROM schema_migrations WHERE version = '19';
COMMIT;

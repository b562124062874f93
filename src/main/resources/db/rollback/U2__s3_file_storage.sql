-- Undoes V2 (seed 001's rollback): removes the S3 columns, user_uploads, the migration queue, its view
-- and the URL helper, with their data. The legacy tables themselves (business_profiles,
-- visibility_check_leads, business_partners) are kept: they hold data Wharf never owned.
BEGIN;
DROP VIEW IF EXISTS s3_migration_progress;
DROP FUNCTION IF EXISTS generate_s3_url(TEXT, TEXT, UUID, TEXT);
DROP TABLE IF EXISTS s3_migration_log;
DROP TABLE IF EXISTS user_uploads;
DROP INDEX IF EXISTS idx_business_profiles_avatar_s3_url;
DROP INDEX IF EXISTS idx_business_profiles_logo_s3_url;
DROP INDEX IF EXISTS idx_visibility_check_leads_report_s3_url;
DROP INDEX IF EXISTS idx_visibility_check_leads_report_expires_at;
ALTER TABLE IF EXISTS business_profiles DROP COLUMN IF EXISTS avatar_s3_url;
ALTER TABLE IF EXISTS business_profiles DROP COLUMN IF EXISTS logo_s3_url;
ALTER TABLE IF EXISTS business_profiles DROP COLUMN IF EXISTS document_s3_urls;
ALTER TABLE IF EXISTS visibility_check_leads DROP COLUMN IF EXISTS report_s3_url;
ALTER TABLE IF EXISTS visibility_check_leads DROP COLUMN IF EXISTS report_expires_at;
ALTER TABLE IF EXISTS visibility_check_leads DROP COLUMN IF EXISTS screenshot_s3_urls;
ALTER TABLE IF EXISTS business_partners DROP COLUMN IF EXISTS contract_s3_urls;
ALTER TABLE IF EXISTS business_partners DROP COLUMN IF EXISTS verification_document_s3_urls;
DELETE FROM flyway_schema_history WHERE version = '2';
DELETE FROM schema_migrations WHERE version = '2';
COMMIT;

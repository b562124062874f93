-- Seed 001 (S3 file storage): legacy tables that hold file URLs, their S3 columns, user_uploads,
-- and the s3_migration_log job queue with its progress view and URL helper.

CREATE TABLE IF NOT EXISTS business_partners (
    id                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                       TEXT        NOT NULL DEFAULT '',
    contract_urls              JSONB       NOT NULL DEFAULT '[]'::jsonb,
    verification_document_urls JSONB       NOT NULL DEFAULT '[]'::jsonb,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
ALTER TABLE business_partners ADD COLUMN IF NOT EXISTS contract_s3_urls JSONB DEFAULT '[]'::jsonb;
ALTER TABLE business_partners ADD COLUMN IF NOT EXISTS verification_document_s3_urls JSONB DEFAULT '[]'::jsonb;

CREATE TABLE IF NOT EXISTS business_profiles (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       UUID,
    partner_id    UUID REFERENCES business_partners (id) ON DELETE SET NULL,
    business_name TEXT        NOT NULL DEFAULT '',
    avatar_url    TEXT,
    logo_url      TEXT,
    document_urls JSONB       NOT NULL DEFAULT '[]'::jsonb,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
ALTER TABLE business_profiles ADD COLUMN IF NOT EXISTS avatar_s3_url TEXT;
ALTER TABLE business_profiles ADD COLUMN IF NOT EXISTS logo_s3_url TEXT;
ALTER TABLE business_profiles ADD COLUMN IF NOT EXISTS document_s3_urls JSONB DEFAULT '[]'::jsonb;

CREATE TABLE IF NOT EXISTS visibility_check_leads (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email           TEXT,
    business_name   TEXT,
    report_url      TEXT,
    screenshot_urls JSONB       NOT NULL DEFAULT '[]'::jsonb,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
ALTER TABLE visibility_check_leads ADD COLUMN IF NOT EXISTS report_s3_url TEXT;
ALTER TABLE visibility_check_leads ADD COLUMN IF NOT EXISTS report_expires_at TIMESTAMPTZ;
ALTER TABLE visibility_check_leads ADD COLUMN IF NOT EXISTS screenshot_s3_urls JSONB DEFAULT '[]'::jsonb;

CREATE INDEX IF NOT EXISTS idx_business_profiles_avatar_s3_url
    ON business_profiles (avatar_s3_url) WHERE avatar_s3_url IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_business_profiles_logo_s3_url
    ON business_profiles (logo_s3_url) WHERE logo_s3_url IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_visibility_check_leads_report_s3_url
    ON visibility_check_leads (report_s3_url) WHERE report_s3_url IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_visibility_check_leads_report_expires_at
    ON visibility_check_leads (report_expires_at) WHERE report_expires_at IS NOT NULL;

COMMENT ON COLUMN business_profiles.avatar_s3_url IS 'S3 URL for avatar image';
COMMENT ON COLUMN business_profiles.logo_s3_url IS 'S3 URL for logo image';
COMMENT ON COLUMN business_profiles.document_s3_urls IS 'Array of document S3 URLs';
COMMENT ON COLUMN visibility_check_leads.report_s3_url IS 'S3 URL for generated report';
COMMENT ON COLUMN visibility_check_leads.report_expires_at IS 'Report expiration date';
COMMENT ON COLUMN visibility_check_leads.screenshot_s3_urls IS 'Array of screenshot S3 URLs';
COMMENT ON COLUMN business_partners.contract_s3_urls IS 'Array of contract document S3 URLs';
COMMENT ON COLUMN business_partners.verification_document_s3_urls IS 'Array of verification document S3 URLs';

CREATE TABLE IF NOT EXISTS user_uploads (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           UUID        NOT NULL,
    partner_id        UUID REFERENCES business_partners (id) ON DELETE SET NULL,
    filename          TEXT        NOT NULL,
    original_filename TEXT        NOT NULL,
    s3_url            TEXT        NOT NULL,
    s3_bucket         TEXT        NOT NULL,
    s3_key            TEXT        NOT NULL,
    content_type      TEXT        NOT NULL,
    file_size         BIGINT      NOT NULL,
    upload_type       TEXT        NOT NULL,
    is_public         BOOLEAN     NOT NULL DEFAULT FALSE,
    uploaded_at       TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    expires_at        TIMESTAMPTZ,
    metadata          JSONB       NOT NULL DEFAULT '{}'::jsonb,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_uploads_upload_type') THEN
        ALTER TABLE user_uploads ADD CONSTRAINT chk_user_uploads_upload_type
            CHECK (upload_type IN ('avatar', 'document', 'image', 'report', 'ai-generated'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_user_uploads_file_size') THEN
        ALTER TABLE user_uploads ADD CONSTRAINT chk_user_uploads_file_size CHECK (file_size >= 0);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'uq_user_uploads_bucket_key') THEN
        ALTER TABLE user_uploads ADD CONSTRAINT uq_user_uploads_bucket_key UNIQUE (s3_bucket, s3_key);
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS idx_user_uploads_user_id ON user_uploads (user_id);
CREATE INDEX IF NOT EXISTS idx_user_uploads_partner_id ON user_uploads (partner_id);
CREATE INDEX IF NOT EXISTS idx_user_uploads_type ON user_uploads (upload_type);
CREATE INDEX IF NOT EXISTS idx_user_uploads_expires ON user_uploads (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_user_uploads_bucket ON user_uploads (s3_bucket);
CREATE INDEX IF NOT EXISTS idx_user_uploads_uploaded_at ON user_uploads (uploaded_at);

COMMENT ON TABLE user_uploads IS 'Tracks all file uploads to S3 with metadata';
COMMENT ON COLUMN user_uploads.user_id IS 'Uploading user (plain UUID: there is no auth.users here)';
COMMENT ON COLUMN user_uploads.upload_type IS 'avatar, document, image, report or ai-generated';
COMMENT ON COLUMN user_uploads.expires_at IS 'Expiration for temporary files';

CREATE TABLE IF NOT EXISTS s3_migration_log (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    table_name       TEXT        NOT NULL,
    record_id        UUID        NOT NULL,
    old_url          TEXT,
    new_s3_url       TEXT,
    migration_status TEXT        NOT NULL DEFAULT 'pending',
    error_message    TEXT,
    migrated_at      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
-- What a job queue needs beyond the seed's log columns.
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS source_column TEXT NOT NULL DEFAULT '';
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW();
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS lease_owner TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS lease_expires_at TIMESTAMPTZ;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS s3_bucket TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS s3_key TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS file_size BIGINT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS checksum_sha256 TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW();
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_status') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_status
            CHECK (migration_status IN ('pending', 'migrated', 'failed', 'skipped'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_attempts') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_attempts CHECK (attempts >= 0);
    END IF;
END $$;
-- A scan that runs twice must not enqueue the same legacy URL twice.
CREATE UNIQUE INDEX IF NOT EXISTS uq_s3_migration_log_source
    ON s3_migration_log (table_name, record_id, source_column, COALESCE(old_url, ''));
CREATE INDEX IF NOT EXISTS idx_s3_migration_log_due
    ON s3_migration_log (next_attempt_at) WHERE migration_status = 'pending';
CREATE INDEX IF NOT EXISTS idx_s3_migration_log_table_status ON s3_migration_log (table_name, migration_status);

COMMENT ON TABLE s3_migration_log IS 'Legacy file to S3 migration: one row per legacy URL, drained as a job queue';
COMMENT ON COLUMN s3_migration_log.migration_status IS 'pending, migrated, failed or skipped';
COMMENT ON COLUMN s3_migration_log.lease_owner IS 'Worker that holds the job until lease_expires_at; an expired lease is taken over';

CREATE OR REPLACE VIEW s3_migration_progress AS
SELECT
    table_name,
    migration_status,
    COUNT(*) AS count,
    ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY table_name), 2) AS percentage,
    MIN(created_at) AS first_entry,
    MAX(migrated_at) AS last_migration
FROM s3_migration_log
GROUP BY table_name, migration_status;

COMMENT ON VIEW s3_migration_progress IS 'Migration progress by table and status';

-- The global endpoint form keeps these URLs classified as 's3' by seed 000's LIKE '%s3.amazonaws.com%' rule.
CREATE OR REPLACE FUNCTION generate_s3_url(bucket_name TEXT, folder_path TEXT, file_id UUID, file_extension TEXT)
RETURNS TEXT
LANGUAGE sql
IMMUTABLE
AS $$
    SELECT 'https://' || bucket_name || '.s3.amazonaws.com/'
        || COALESCE(NULLIF(BTRIM(folder_path, '/'), '') || '/', '')
        || file_id::text
        || COALESCE('.' || NULLIF(LOWER(LTRIM(file_extension, '.')), ''), '')
$$;

COMMENT ON FUNCTION generate_s3_url(TEXT, TEXT, UUID, TEXT) IS 'Consistent S3 URL for a file id in a bucket folder';

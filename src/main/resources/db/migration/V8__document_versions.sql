-- Issue 4: documents carry a version (ETag / If-Match) and are listed per tenant by (created_at, id).
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['connector_profiles', 'client_configs', 'service_proposals'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 1', t);
        -- keyset paging needs a creation time on every row, adopted ones included
        EXECUTE format('UPDATE %I SET created_at = COALESCE(updated_at, NOW()) WHERE created_at IS NULL', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN created_at SET NOT NULL', t);
        EXECUTE format('UPDATE %I SET updated_at = created_at WHERE updated_at IS NULL', t);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN updated_at SET NOT NULL', t);
    END LOOP;
END $$;

CREATE INDEX IF NOT EXISTS ix_connector_profiles_tenant_created ON connector_profiles (tenant_id, created_at, id);
CREATE INDEX IF NOT EXISTS ix_client_configs_tenant_created ON client_configs (tenant_id, created_at, client_id);
CREATE INDEX IF NOT EXISTS ix_service_proposals_tenant_created ON service_proposals (tenant_id, created_at, proposal_id);

COMMENT ON COLUMN connector_profiles.version IS 'Incremented by every change; sent as the ETag';
COMMENT ON COLUMN client_configs.version IS 'Incremented by every change; sent as the ETag';
COMMENT ON COLUMN service_proposals.version IS 'Incremented by every change; sent as the ETag';

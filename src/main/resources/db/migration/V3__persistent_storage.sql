-- Seed 003 (persistent storage): documents of the connector and demo-config services.
-- Tables may already exist ("relation already exists" in the seed): every statement is conditional.

CREATE TABLE IF NOT EXISTS connector_profiles (
    id VARCHAR(255) PRIMARY KEY,
    profile_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS ix_connector_profiles_created_at ON connector_profiles(created_at);

CREATE TABLE IF NOT EXISTS client_configs (
    client_id VARCHAR(255) PRIMARY KEY,
    config_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS ix_client_configs_created_at ON client_configs(created_at);

CREATE TABLE IF NOT EXISTS service_proposals (
    proposal_id VARCHAR(255) PRIMARY KEY,
    proposal_data JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
);
ALTER TABLE service_proposals ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW();
CREATE INDEX IF NOT EXISTS ix_service_proposals_created_at ON service_proposals(created_at);

CREATE INDEX IF NOT EXISTS idx_connector_profiles_data ON connector_profiles USING GIN (profile_data);
CREATE INDEX IF NOT EXISTS idx_client_configs_data ON client_configs USING GIN (config_data);
CREATE INDEX IF NOT EXISTS idx_service_proposals_data ON service_proposals USING GIN (proposal_data);

-- updated_at is kept by the database, whoever writes the row.
CREATE OR REPLACE FUNCTION wharf_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := NOW();
    RETURN NEW;
END $$;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['connector_profiles', 'client_configs', 'service_proposals'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'trg_' || t || '_updated_at'
                       AND tgrelid = t::regclass) THEN
            EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION wharf_touch_updated_at()',
                           'trg_' || t || '_updated_at', t);
        END IF;
    END LOOP;
END $$;

COMMENT ON TABLE connector_profiles IS 'Connection profiles for external data sources (Connector Service)';
COMMENT ON COLUMN connector_profiles.id IS 'Profile identifier chosen by the client';
COMMENT ON COLUMN connector_profiles.profile_data IS 'Profile document: name, type (sql|api|excel), encrypted connection_string and credentials, schema_info, test_status, last_tested';
COMMENT ON COLUMN connector_profiles.created_at IS 'Creation time';
COMMENT ON COLUMN connector_profiles.updated_at IS 'Last modification time, kept by trigger';

COMMENT ON TABLE client_configs IS 'Client-specific configurations (Demo Config Service)';
COMMENT ON COLUMN client_configs.client_id IS 'Client identifier chosen by the caller';
COMMENT ON COLUMN client_configs.config_data IS 'Config document: client_name, license_type (basic|professional|enterprise), modules, preferences, custom_kpis, data_sources';
COMMENT ON COLUMN client_configs.created_at IS 'Creation time';
COMMENT ON COLUMN client_configs.updated_at IS 'Last modification time, kept by trigger';

COMMENT ON TABLE service_proposals IS 'Generated service proposals and SOWs (Demo Config Service)';
COMMENT ON COLUMN service_proposals.proposal_id IS 'Proposal identifier chosen by the caller';
COMMENT ON COLUMN service_proposals.proposal_data IS 'Proposal document: client_id, proposal_type, pricing, timeline, resources, status (draft|sent|accepted|rejected)';
COMMENT ON COLUMN service_proposals.created_at IS 'Creation time';
COMMENT ON COLUMN service_proposals.updated_at IS 'Last modification time, kept by trigger';

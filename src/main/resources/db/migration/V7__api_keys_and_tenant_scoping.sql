-- Issue 3: API keys kept only as hashes, and every document row owned by a tenant.

CREATE TABLE IF NOT EXISTS api_keys (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    UUID         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL DEFAULT 'default',
    prefix       VARCHAR(32)  NOT NULL,
    key_hash     CHAR(64)     NOT NULL,
    scopes       TEXT[]       NOT NULL,
    rotated_from UUID REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX IF NOT EXISTS uq_api_keys_prefix ON api_keys (prefix);
CREATE INDEX IF NOT EXISTS ix_api_keys_tenant_id ON api_keys (tenant_id);
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_api_keys_scopes') THEN
        ALTER TABLE api_keys ADD CONSTRAINT chk_api_keys_scopes
            CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['admin', 'client']::TEXT[]);
    END IF;
END $$;
COMMENT ON TABLE api_keys IS 'Tenant API keys: SHA-256 of the key and a non-secret prefix for lookup; the key itself is shown once and never stored';

-- The adapter service kept tenants.api_key in plain text. Those keys keep working (their hash moves to
-- api_keys, under a prefix derived from the hash) and the plain text is removed.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'tenants' AND column_name = 'api_key') THEN
        INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes)
        SELECT id, 'legacy', 'lg' || LEFT(encode(sha256(convert_to(api_key, 'UTF8')), 'hex'), 14),
               encode(sha256(convert_to(api_key, 'UTF8')), 'hex'), ARRAY['client']
        FROM tenants WHERE api_key IS NOT NULL AND api_key <> ''
        ON CONFLICT (prefix) DO NOTHING;
        ALTER TABLE tenants DROP COLUMN api_key;
    END IF;
END $$;

ALTER TABLE audit_logs ADD COLUMN IF NOT EXISTS api_key_prefix VARCHAR(32);

-- Tenant ownership. Rows written before tenants existed go to a 'legacy' tenant, so nothing is lost
-- and nothing is shared; an operator can issue a key for it.
ALTER TABLE connector_profiles ADD COLUMN IF NOT EXISTS tenant_id UUID;
ALTER TABLE client_configs ADD COLUMN IF NOT EXISTS tenant_id UUID;
ALTER TABLE service_proposals ADD COLUMN IF NOT EXISTS tenant_id UUID;
ALTER TABLE transactions ADD COLUMN IF NOT EXISTS tenant_id UUID;
ALTER TABLE files ADD COLUMN IF NOT EXISTS tenant_id UUID;
ALTER TABLE user_uploads ADD COLUMN IF NOT EXISTS tenant_id UUID;

DO $$
DECLARE
    legacy CONSTANT UUID := '00000000-0000-4000-8000-000000000001';
    t TEXT;
    unowned BOOLEAN := FALSE;
BEGIN
    FOREACH t IN ARRAY ARRAY['connector_profiles', 'client_configs', 'service_proposals', 'transactions', 'files', 'user_uploads'] LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE tenant_id IS NULL)', t) INTO unowned;
        IF unowned THEN
            INSERT INTO tenants (id, name, metadata)
            VALUES (legacy, 'legacy', '{"note": "owner of rows written before tenants existed"}'::jsonb)
            ON CONFLICT (id) DO NOTHING;
            EXECUTE format('UPDATE %I SET tenant_id = %L WHERE tenant_id IS NULL', t, legacy);
        END IF;
        EXECUTE format('ALTER TABLE %I ALTER COLUMN tenant_id SET NOT NULL', t);
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_' || t || '_tenant') THEN
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (tenant_id) REFERENCES tenants (id)', t, 'fk_' || t || '_tenant');
        END IF;
    END LOOP;
END $$;

-- Two tenants may use the same document id: the key is (tenant_id, id), so neither learns of the other.
DO $$
DECLARE
    spec TEXT[];
BEGIN
    FOREACH spec SLICE 1 IN ARRAY ARRAY[['connector_profiles', 'id'], ['client_configs', 'client_id'], ['service_proposals', 'proposal_id']] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = spec[1] || '_pkey' AND cardinality(conkey) = 2) THEN
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT IF EXISTS %I', spec[1], spec[1] || '_pkey');
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (tenant_id, %I)', spec[1], spec[1] || '_pkey', spec[2]);
        END IF;
    END LOOP;
END $$;

CREATE INDEX IF NOT EXISTS ix_transactions_tenant_id ON transactions (tenant_id);
CREATE INDEX IF NOT EXISTS ix_files_tenant_id ON files (tenant_id);
CREATE INDEX IF NOT EXISTS ix_user_uploads_tenant_id ON user_uploads (tenant_id);

-- Seed 004 (tenants, action and audit logs), with the Transform Army adapter's own type and index
-- names so that its queries keep working. API keys are not stored here in plain text.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'action_type_enum') THEN
        CREATE TYPE action_type_enum AS ENUM (
            'crm_create', 'crm_update', 'crm_delete', 'crm_get', 'crm_list', 'crm_search',
            'helpdesk_create_ticket', 'helpdesk_update_ticket', 'helpdesk_get_ticket',
            'helpdesk_list_tickets', 'helpdesk_add_comment',
            'calendar_create_event', 'calendar_update_event', 'calendar_delete_event',
            'calendar_get_event', 'calendar_list_events',
            'email_send', 'email_get', 'email_list', 'email_search',
            'knowledge_store', 'knowledge_search', 'knowledge_get', 'knowledge_delete');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'action_status_enum') THEN
        CREATE TYPE action_status_enum AS ENUM ('pending', 'success', 'failure', 'timeout', 'retry');
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS tenants (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name             VARCHAR(255) NOT NULL,
    provider_configs JSONB        NOT NULL DEFAULT '{}'::jsonb,
    is_active        BOOLEAN      NOT NULL DEFAULT TRUE,
    metadata         JSONB,
    created_at       TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    updated_at       TIMESTAMPTZ  NOT NULL DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS ix_tenants_is_active ON tenants (is_active);
CREATE INDEX IF NOT EXISTS ix_tenants_name ON tenants (name);
COMMENT ON TABLE tenants IS 'Callers of Wharf; their API keys are kept as hashes only';
COMMENT ON COLUMN tenants.name IS 'Organization or tenant name';
COMMENT ON COLUMN tenants.provider_configs IS 'Provider-specific configurations (secrets encrypted)';
COMMENT ON COLUMN tenants.is_active IS 'Whether the tenant is active and can use the service';

CREATE TABLE IF NOT EXISTS action_logs (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         UUID               NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    action_type       action_type_enum   NOT NULL,
    provider_name     VARCHAR(100)       NOT NULL,
    request_payload   JSONB              NOT NULL DEFAULT '{}'::jsonb,
    response_data     JSONB,
    status            action_status_enum NOT NULL,
    error_message     TEXT,
    execution_time_ms INTEGER            NOT NULL,
    metadata          JSONB,
    created_at        TIMESTAMPTZ        NOT NULL DEFAULT NOW(),
    updated_at        TIMESTAMPTZ        NOT NULL DEFAULT NOW()
);
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_action_logs_execution_time') THEN
        ALTER TABLE action_logs ADD CONSTRAINT chk_action_logs_execution_time CHECK (execution_time_ms >= 0);
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS ix_action_logs_action_type ON action_logs (action_type);
CREATE INDEX IF NOT EXISTS ix_action_logs_action_type_created ON action_logs (action_type, created_at);
CREATE INDEX IF NOT EXISTS ix_action_logs_provider_name ON action_logs (provider_name);
CREATE INDEX IF NOT EXISTS ix_action_logs_provider_status ON action_logs (provider_name, status);
CREATE INDEX IF NOT EXISTS ix_action_logs_status ON action_logs (status);
CREATE INDEX IF NOT EXISTS ix_action_logs_tenant_created ON action_logs (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS ix_action_logs_tenant_id ON action_logs (tenant_id);
COMMENT ON TABLE action_logs IS 'One row per integration action (provider call), payloads redacted';
COMMENT ON COLUMN action_logs.request_payload IS 'The request payload, secrets and binary content redacted';
COMMENT ON COLUMN action_logs.execution_time_ms IS 'Time taken to execute the action in milliseconds';

CREATE TABLE IF NOT EXISTS audit_logs (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     UUID         NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id       VARCHAR(255),
    action        VARCHAR(100) NOT NULL,
    resource_type VARCHAR(100) NOT NULL,
    resource_id   VARCHAR(255) NOT NULL,
    changes       JSONB,
    ip_address    VARCHAR(45),
    user_agent    TEXT,
    metadata      JSONB,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT NOW(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS ix_audit_logs_action ON audit_logs (action);
CREATE INDEX IF NOT EXISTS ix_audit_logs_action_created ON audit_logs (action, created_at);
CREATE INDEX IF NOT EXISTS ix_audit_logs_ip_address ON audit_logs (ip_address);
CREATE INDEX IF NOT EXISTS ix_audit_logs_resource ON audit_logs (resource_type, resource_id);
CREATE INDEX IF NOT EXISTS ix_audit_logs_resource_type ON audit_logs (resource_type);
CREATE INDEX IF NOT EXISTS ix_audit_logs_tenant_created ON audit_logs (tenant_id, created_at);
CREATE INDEX IF NOT EXISTS ix_audit_logs_tenant_id ON audit_logs (tenant_id);
CREATE INDEX IF NOT EXISTS ix_audit_logs_user_action ON audit_logs (user_id, action);
CREATE INDEX IF NOT EXISTS ix_audit_logs_user_id ON audit_logs (user_id);
COMMENT ON TABLE audit_logs IS 'Compliance trail: every change to a document, tenant or key';
COMMENT ON COLUMN audit_logs.changes IS 'Before/after changes: {"before": {...}, "after": {...}}, secrets redacted';

-- Undoes V7. Keys cannot be turned back into plain text: adapter tenants need new keys afterwards.
-- Refuses while two tenants share a document id (the single-column keys could not hold both).
BEGIN;
ALTER TABLE connector_profiles DROP CONSTRAINT IF EXISTS connector_profiles_pkey;
ALTER TABLE connector_profiles ADD CONSTRAINT connector_profiles_pkey PRIMARY KEY (id);
ALTER TABLE client_configs DROP CONSTRAINT IF EXISTS client_configs_pkey;
ALTER TABLE client_configs ADD CONSTRAINT client_configs_pkey PRIMARY KEY (client_id);
ALTER TABLE service_proposals DROP CONSTRAINT IF EXISTS service_proposals_pkey;
ALTER TABLE service_proposals ADD CONSTRAINT service_proposals_pkey PRIMARY KEY (proposal_id);
ALTER TABLE connector_profiles DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE client_configs DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE service_proposals DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE transactions DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE files DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE user_uploads DROP COLUMN IF EXISTS tenant_id;
ALTER TABLE audit_logs DROP COLUMN IF EXISTS api_key_prefix;
DROP TABLE IF EXISTS api_keys;
DELETE FROM flyway_schema_history WHERE version = '7';
DELETE FROM schema_migrations WHERE version = '7';
COMMIT;

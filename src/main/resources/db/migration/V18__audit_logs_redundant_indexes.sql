-- audit_logs carried four single-column indexes that are each the leading column of a two-column index V4
-- also made (action → (action, created_at); resource_type → (resource_type, resource_id); tenant_id →
-- (tenant_id, created_at); user_id → (user_id, action)). PostgreSQL answers a query on the leading column from
-- the two-column index just as well, so the single ones only cost: every audited change (a migrated file, a
-- document written) wrote eleven index entries where seven serve every query. None of these names is in a seed.
DROP INDEX IF EXISTS ix_audit_logs_action;
DROP INDEX IF EXISTS ix_audit_logs_resource_type;
DROP INDEX IF EXISTS ix_audit_logs_tenant_id;
DROP INDEX IF EXISTS ix_audit_logs_user_id;

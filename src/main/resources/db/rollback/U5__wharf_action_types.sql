-- Undoes V5. PostgreSQL cannot drop an enum value, so the type is rebuilt without Wharf's values.
-- Refuses while action_logs rows still use them: archive or delete those rows first.
BEGIN;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM action_logs
               WHERE action_type::text IN ('bma_transaction', 'connector_test', 's3_file_migration')) THEN
        RAISE EXCEPTION 'action_logs rows use Wharf action types; archive or delete them before rolling back V5';
    END IF;
END $$;
ALTER TYPE action_type_enum RENAME TO action_type_enum_v5;
CREATE TYPE action_type_enum AS ENUM (
    'crm_create', 'crm_update', 'crm_delete', 'crm_get', 'crm_list', 'crm_search',
    'helpdesk_create_ticket', 'helpdesk_update_ticket', 'helpdesk_get_ticket',
    'helpdesk_list_tickets', 'helpdesk_add_comment',
    'calendar_create_event', 'calendar_update_event', 'calendar_delete_event',
    'calendar_get_event', 'calendar_list_events',
    'email_send', 'email_get', 'email_list', 'email_search',
    'knowledge_store', 'knowledge_search', 'knowledge_get', 'knowledge_delete');
ALTER TABLE action_logs ALTER COLUMN action_type TYPE action_type_enum USING action_type::text::action_type_enum;
DROP TYPE action_type_enum_v5;
DELETE FROM flyway_schema_history WHERE version = '5';
DELETE FROM schema_migrations WHERE version = '5';
COMMIT;

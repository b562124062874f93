-- Issue 7: who wrote an audit row. user_id holds whatever a client sends as X-User-Id, so a client sending
-- "system" looked exactly like Wharf's own entries. actor_type says it: 'client' for a request made with an
-- API key, 'system' for what Wharf does by itself (start-up, background jobs).
-- Added with a constant default, which PostgreSQL stores without rewriting the table; a writer that does not
-- say (an older instance during a rolling start) is taken for a client, never for Wharf.
ALTER TABLE audit_logs ADD COLUMN IF NOT EXISTS actor_type VARCHAR(16) NOT NULL DEFAULT 'client';
-- Earlier rows: a client's row always carries its key prefix, so only rows without one can be Wharf's
-- (or, on an adopted database, the adapter service's own "system" entries). ix_audit_logs_user_id finds them.
UPDATE audit_logs SET actor_type = 'system' WHERE user_id = 'system' AND api_key_prefix IS NULL AND actor_type <> 'system';
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_audit_logs_actor_type') THEN
        ALTER TABLE audit_logs ADD CONSTRAINT chk_audit_logs_actor_type CHECK (actor_type IN ('client', 'system'));
    END IF;
END $$;
COMMENT ON COLUMN audit_logs.actor_type IS 'client: a request with an API key (user_id is its X-User-Id, as sent); system: Wharf itself';

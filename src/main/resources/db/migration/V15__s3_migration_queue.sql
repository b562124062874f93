-- Issue 10: what draining s3_migration_log needs beyond V2 and V13: who owns a job's files, why it failed,
-- when it was verified; counters the progress endpoint reads instead of scanning the queue; the workers
-- alive; and a pause switch every instance follows. The seed's columns, view and queries stay as they are.

-- Migrated legacy files are recorded in user_uploads and the audit trail under a tenant: a files row's own,
-- else the tenant that owns rows written before tenants existed (V7 makes it only when such rows exist).
INSERT INTO tenants (id, name, metadata)
VALUES ('00000000-0000-4000-8000-000000000001', 'legacy', '{"note": "owner of rows written before tenants existed"}'::jsonb)
ON CONFLICT (id) DO NOTHING;

ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS content_type TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS failure_reason TEXT;
ALTER TABLE s3_migration_log ADD COLUMN IF NOT EXISTS verified_at TIMESTAMPTZ;
COMMENT ON COLUMN s3_migration_log.failure_reason IS 'Why the last attempt failed, as a category (not_found, http_status, too_large, truncated, refused_address, malformed_url, timeout, connection, s3, changed_source, ...)';
COMMENT ON COLUMN s3_migration_log.error_message IS 'What happened, for an operator: status, host, bytes read';

-- Counters per table and status (jobs and bytes). Every statement that changes the queue adds its net
-- change as delta rows (insert-only, so concurrent workers never wait on one counter row); a compaction
-- job folds them in. Progress reads counters + deltas: a few dozen rows, whatever the size of the queue.
CREATE TABLE IF NOT EXISTS s3_migration_counters (
    table_name       TEXT   NOT NULL,
    migration_status TEXT   NOT NULL,
    jobs             BIGINT NOT NULL DEFAULT 0,
    bytes            BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (table_name, migration_status)
);
CREATE TABLE IF NOT EXISTS s3_migration_counter_deltas (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name       TEXT   NOT NULL,
    migration_status TEXT   NOT NULL,
    jobs             BIGINT NOT NULL,
    bytes            BIGINT NOT NULL
);
-- Totals sampled by the compaction job, for the rate over the last minute and hour and the ETA.
CREATE TABLE IF NOT EXISTS s3_migration_samples (
    sampled_at     TIMESTAMPTZ PRIMARY KEY DEFAULT clock_timestamp(),
    migrated_jobs  BIGINT NOT NULL,
    migrated_bytes BIGINT NOT NULL
);

CREATE OR REPLACE FUNCTION s3_migration_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO s3_migration_counter_deltas (table_name, migration_status, jobs, bytes)
    SELECT table_name, migration_status, count(*), COALESCE(sum(file_size), 0) FROM new_rows GROUP BY 1, 2;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION s3_migration_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- only rows whose status or size changed: lease renewals and claims change neither
    INSERT INTO s3_migration_counter_deltas (table_name, migration_status, jobs, bytes)
    SELECT table_name, migration_status, sum(jobs), sum(bytes) FROM (
        SELECT o.table_name, o.migration_status, -1 AS jobs, -COALESCE(o.file_size, 0) AS bytes
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.migration_status IS DISTINCT FROM o.migration_status OR n.file_size IS DISTINCT FROM o.file_size
           OR n.table_name IS DISTINCT FROM o.table_name
        UNION ALL
        SELECT n.table_name, n.migration_status, 1, COALESCE(n.file_size, 0)
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE n.migration_status IS DISTINCT FROM o.migration_status OR n.file_size IS DISTINCT FROM o.file_size
           OR n.table_name IS DISTINCT FROM o.table_name) d
    GROUP BY 1, 2 HAVING sum(jobs) <> 0 OR sum(bytes) <> 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION s3_migration_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO s3_migration_counter_deltas (table_name, migration_status, jobs, bytes)
    SELECT table_name, migration_status, -count(*), -COALESCE(sum(file_size), 0) FROM old_rows GROUP BY 1, 2;
    RETURN NULL;
END $$;

-- TRUNCATE fires no row triggers: it empties the counts with the queue.
CREATE OR REPLACE FUNCTION s3_migration_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM s3_migration_counter_deltas;
    DELETE FROM s3_migration_counters;
    RETURN NULL;
END $$;

-- The triggers and the first count are made together, under a lock that holds writers back, so that no
-- change is counted twice or missed.
LOCK TABLE s3_migration_log IN SHARE ROW EXCLUSIVE MODE;
DROP TRIGGER IF EXISTS trg_s3_migration_count_insert ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_update ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_delete ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_truncate ON s3_migration_log;
CREATE TRIGGER trg_s3_migration_count_insert AFTER INSERT ON s3_migration_log
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION s3_migration_count_insert();
CREATE TRIGGER trg_s3_migration_count_update AFTER UPDATE ON s3_migration_log
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION s3_migration_count_update();
CREATE TRIGGER trg_s3_migration_count_delete AFTER DELETE ON s3_migration_log
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION s3_migration_count_delete();
CREATE TRIGGER trg_s3_migration_count_truncate AFTER TRUNCATE ON s3_migration_log
    FOR EACH STATEMENT EXECUTE FUNCTION s3_migration_count_truncate();
DELETE FROM s3_migration_counter_deltas;
DELETE FROM s3_migration_counters;
INSERT INTO s3_migration_counters (table_name, migration_status, jobs, bytes)
SELECT table_name, migration_status, count(*), COALESCE(sum(file_size), 0) FROM s3_migration_log GROUP BY 1, 2;

-- Instances that drain the queue announce themselves; progress counts those seen recently.
CREATE TABLE IF NOT EXISTS s3_migration_workers (
    owner        TEXT        PRIMARY KEY,
    host         TEXT,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    in_flight    INTEGER     NOT NULL DEFAULT 0
);

-- One switch for every instance: paused workers start no new copy (a NOTIFY tells them at once).
CREATE TABLE IF NOT EXISTS s3_migration_control (
    id         BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    paused     BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by TEXT
);
INSERT INTO s3_migration_control (id) VALUES (TRUE) ON CONFLICT (id) DO NOTHING;
COMMENT ON TABLE s3_migration_control IS 'Pause switch of the legacy-file migration, shared by every instance';

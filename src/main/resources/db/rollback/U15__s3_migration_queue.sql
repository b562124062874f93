-- Undoes V15. The queue's rows stay; counters, samples, workers and the pause switch are dropped.
-- The legacy tenant stays: rows may refer to it.
BEGIN;
DROP TABLE IF EXISTS s3_migration_control;
DROP TABLE IF EXISTS s3_migration_workers;
DROP TRIGGER IF EXISTS trg_s3_migration_count_insert ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_update ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_delete ON s3_migration_log;
DROP TRIGGER IF EXISTS trg_s3_migration_count_truncate ON s3_migration_log;
DROP FUNCTION IF EXISTS s3_migration_count_truncate();
DROP FUNCTION IF EXISTS s3_migration_count_insert();
DROP FUNCTION IF EXISTS s3_migration_count_update();
DROP FUNCTION IF EXISTS s3_migration_count_delete();
DROP TABLE IF EXISTS s3_migration_samples;
DROP TABLE IF EXISTS s3_migration_counter_deltas;
DROP TABLE IF EXISTS s3_migration_counters;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS verified_at;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS failure_reason;
ALTER TABLE s3_migration_log DROP COLUMN IF EXISTS content_type;
DELETE FROM flyway_schema_history WHERE version = '15';
DELETE FROM schema_migrations WHERE version = '15';
COMMIT;

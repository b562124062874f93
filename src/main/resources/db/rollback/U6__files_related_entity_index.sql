-- Undoes V6. Run with: psql -v ON_ERROR_STOP=1 -f U6__files_related_entity_index.sql (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS idx_files_related_entity;
DELETE FROM flyway_schema_history WHERE version = '6';
DELETE FROM schema_migrations WHERE version = '6';

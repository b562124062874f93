-- Undoes V10. Run with: psql -v ON_ERROR_STOP=1 -f U10__audit_logs_created_id_index.sql (outside a transaction).
DROP INDEX CONCURRENTLY IF EXISTS ix_audit_logs_created_id;
DELETE FROM flyway_schema_history WHERE version = '10';
DELETE FROM schema_migrations WHERE version = '10';

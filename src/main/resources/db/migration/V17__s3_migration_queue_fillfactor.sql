-- Issue 10: claiming, renewing and handing back a job change only columns no index covers (lease owner and
-- expiry, attempts, updated_at), so PostgreSQL can write them as HOT updates (no new index entries, no index
-- bloat) when the row's page has room. Pages filled to 70 % leave that room; rows written from now on get it,
-- and an existing row gets it the first time it moves. Only the storage parameter changes (a lock that
-- readers and writers do not wait for).
ALTER TABLE s3_migration_log SET (fillfactor = 70);

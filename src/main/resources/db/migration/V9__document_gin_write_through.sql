-- Issue 4: the document GIN indexes take new entries directly instead of collecting them in a pending list.
-- With the default (fastupdate = on) every insert appends to an unsorted list of up to 4 MB that each search
-- must read in full until VACUUM merges it; measured after 10,000 creates on 100,000 documents, a one-value
-- containment search went from 12,000 to 1,100 per second, and the insert that overflows the list pays for
-- merging all of it. Documents are read far more often than written, so searches get the steady cost.
-- The setting needs a brief exclusive lock on each index: give up rather than queue behind long readers.
SET LOCAL lock_timeout = '30s';
ALTER INDEX IF EXISTS idx_connector_profiles_data SET (fastupdate = off);
ALTER INDEX IF EXISTS idx_client_configs_data SET (fastupdate = off);
ALTER INDEX IF EXISTS idx_service_proposals_data SET (fastupdate = off);
-- entries already waiting in a pending list are merged now rather than at the next VACUUM
SELECT gin_clean_pending_list(to_regclass(i))
FROM unnest(ARRAY['idx_connector_profiles_data', 'idx_client_configs_data', 'idx_service_proposals_data']) AS i
WHERE to_regclass(i) IS NOT NULL;

-- Issue 20: the queue's invariants, held by the database as River's finalized_or_finalized_at_null holds its own.
-- A lease is an owner and an expiry together: the claim frees a job by its expiry, renewals and outcomes find it by
-- its owner, and one without the other is a job that is free for one and held for the other. A held lease names
-- its claim's token: every renewal, release and outcome must name it, and the leftover sweep keeps the objects of
-- the token whose lease runs. Only a pending job is leased: every statement that ends a job also ends its lease.
-- failure_reason is a category that dashboards, metrics and alerts group by: the set below is every value each
-- version of Wharf has written (interrupted and s3_slow_down only by earlier ones).
--
-- Run outside a transaction (see the .conf beside this script) so that each statement commits on its own: adding
-- a constraint NOT VALID holds the table's ACCESS EXCLUSIVE lock only for a moment (it reads no row), and
-- VALIDATE CONSTRAINT then reads the whole queue under SHARE UPDATE EXCLUSIVE, which lets claims and outcomes go
-- on. Rows written from the moment a constraint is added are checked, so none that break it can arrive meanwhile.
-- Every statement can run again after an interruption.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_lease') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_lease
            CHECK ((lease_owner IS NULL) = (lease_expires_at IS NULL)) NOT VALID;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_lease_token') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_lease_token
            CHECK (lease_owner IS NULL OR claim_token IS NOT NULL) NOT VALID;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_lease_pending') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_lease_pending
            CHECK (lease_owner IS NULL OR migration_status = 'pending') NOT VALID;
    END IF;
END $$;

-- Rows written by hand (no version of Wharf wrote them) are repaired to what the queue already made of them:
-- a finished job's lease bound nobody; an expiry without an owner kept a pending job from being claimed until then,
-- which its next attempt time now says; an owner without an expiry was free to claim, as an expired lease is;
-- a lease from before claim tokens (V19) gets one, which no worker of that version reads.
-- Only the rows that break a rule are written; neither status nor size changes, so the counters stay as they are.
UPDATE s3_migration_log SET
    lease_owner = CASE WHEN migration_status = 'pending' THEN lease_owner END,
    lease_expires_at = CASE WHEN migration_status <> 'pending' OR lease_owner IS NULL THEN NULL ELSE COALESCE(lease_expires_at, now()) END,
    next_attempt_at = CASE WHEN migration_status = 'pending' AND lease_owner IS NULL
                           THEN GREATEST(next_attempt_at, lease_expires_at) ELSE next_attempt_at END,
    claim_token = CASE WHEN migration_status = 'pending' AND lease_owner IS NOT NULL
                       THEN COALESCE(claim_token, gen_random_uuid()) ELSE claim_token END
WHERE (lease_owner IS NULL) <> (lease_expires_at IS NULL)
   OR (lease_owner IS NOT NULL AND (claim_token IS NULL OR migration_status <> 'pending'));

-- Added after the repair above, so that a row with an unknown reason does not stop its lease from being repaired.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'chk_s3_migration_log_failure_reason') THEN
        ALTER TABLE s3_migration_log ADD CONSTRAINT chk_s3_migration_log_failure_reason CHECK (failure_reason IN (
            'changed_source', 'connection', 'gave_up', 'host_unreachable', 'http_status', 'internal', 'interrupted', 'lease_lost',
            'malformed_response', 'malformed_url', 'not_found', 'redirects', 'refused_address', 's3', 's3_slow_down', 's3_unavailable',
            'skipped', 'timeout', 'too_large', 'too_slow', 'truncated', 'verify_mismatch')) NOT VALID;
    END IF;
END $$;

ALTER TABLE s3_migration_log VALIDATE CONSTRAINT chk_s3_migration_log_lease;
ALTER TABLE s3_migration_log VALIDATE CONSTRAINT chk_s3_migration_log_lease_token;
ALTER TABLE s3_migration_log VALIDATE CONSTRAINT chk_s3_migration_log_lease_pending;

-- A reason outside the set was written by hand: it stays as it is, and so does the constraint, NOT VALID (new rows
-- are checked, old ones are not) until an operator sets those rows' reasons and validates it.
DO $$
BEGIN
    ALTER TABLE s3_migration_log VALIDATE CONSTRAINT chk_s3_migration_log_failure_reason;
EXCEPTION WHEN check_violation THEN
    RAISE WARNING 'chk_s3_migration_log_failure_reason stays NOT VALID: some rows hold a failure_reason outside its set; %',
        'set them to one of the set, then ALTER TABLE s3_migration_log VALIDATE CONSTRAINT chk_s3_migration_log_failure_reason';
END $$;

COMMENT ON COLUMN s3_migration_log.failure_reason IS 'Why the last attempt failed, as a category (chk_s3_migration_log_failure_reason lists them): not_found, http_status, too_large, truncated, refused_address, malformed_url, timeout, connection, s3, changed_source, ...';

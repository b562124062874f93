package io.wharf.copy.queue;

/**
 * The text of every statement {@link JobRepository} runs on s3_migration_log, kept apart so that the repository
 * stays short enough to read whole; each constant is used by the repository method of the same name.
 */
final class JobSql {

    private JobSql() {
    }

    /**
     * Owners with pending jobs one index step each, every owner's earliest due jobs, interleaved; %1$s is the
     * "out of attempts" condition (the jobs it matches are failed, not claimed).
     */
    static final String CLAIM = """
            WITH RECURSIVE owners(o) AS ((SELECT owner_tenant_id FROM s3_migration_log WHERE migration_status = 'pending'
            ORDER BY owner_tenant_id LIMIT 1) UNION ALL SELECT (SELECT l.owner_tenant_id FROM s3_migration_log l WHERE
            l.migration_status = 'pending' AND l.owner_tenant_id > owners.o ORDER BY l.owner_tenant_id LIMIT 1) FROM owners
            WHERE owners.o IS NOT NULL),
            c AS (SELECT p.id, p.previous FROM owners, LATERAL (SELECT q.*, row_number() OVER (ORDER BY q.next_attempt_at) AS rn FROM
            (SELECT id, lease_owner AS previous, next_attempt_at FROM s3_migration_log WHERE (owner_tenant_id, next_attempt_at) >
            (owners.o, '-infinity') AND (owner_tenant_id, next_attempt_at) <= (owners.o, now())
            AND migration_status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= now())
            ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) q) p
            WHERE owners.o IS NOT NULL AND owners.o <> ALL(?::uuid[]) ORDER BY p.rn, p.next_attempt_at LIMIT ?)
            UPDATE s3_migration_log j SET
            migration_status = CASE WHEN %1$s THEN 'failed' ELSE j.migration_status END,
            failure_reason = CASE WHEN %1$s THEN 'gave_up' ELSE j.failure_reason END,
            error_message = CASE WHEN %1$s THEN 'gave up after ' || j.attempts || ' attempts that never finished (the worker \
            stopped or lost it each time); last error: ' || COALESCE(j.error_message, 'none') ELSE j.error_message END,
            lease_owner = CASE WHEN %1$s THEN NULL ELSE ? END,
            lease_expires_at = CASE WHEN %1$s THEN NULL ELSE now() + make_interval(secs => ?) END,
            attempts = CASE WHEN %1$s THEN j.attempts ELSE j.attempts + 1 END, updated_at = now(),
            claim_token = CASE WHEN %1$s THEN j.claim_token ELSE gen_random_uuid() END
            FROM c WHERE j.id = c.id
            RETURNING j.id, j.table_name, j.record_id, j.file_id, j.source_column, j.old_url, j.attempts, c.previous, j.migration_status,
            j.owner_tenant_id, j.claim_token""";

    static final String RENEW = """
            WITH renewed AS (UPDATE s3_migration_log j SET lease_expires_at = now() + make_interval(secs => ?)
            FROM unnest(?::uuid[], ?::uuid[]) AS v(id, token) WHERE j.id = v.id AND j.claim_token = v.token AND j.lease_owner = ?
            AND j.migration_status = 'pending' RETURNING j.id)
            SELECT i FROM unnest(?::uuid[]) AS i WHERE i NOT IN (SELECT id FROM renewed)""";

    static final String RELEASE = """
            UPDATE s3_migration_log j SET lease_owner = NULL,
            lease_expires_at = NULL, attempts = greatest(j.attempts - 1, 0), updated_at = now(), next_attempt_at = CASE WHEN ? > 0
            THEN now() + make_interval(secs => ?) ELSE j.next_attempt_at END
            FROM unnest(?::uuid[], ?::uuid[]) AS v(id, token)
            WHERE j.id = v.id AND j.claim_token = v.token AND j.lease_owner = ? AND j.migration_status = 'pending'""";

    static final String ANNOUNCE = "SELECT pg_notify(?, 'jobs')";

    static final String MIGRATED = """
            UPDATE s3_migration_log j SET migration_status = 'migrated', new_s3_url = v.url,
            s3_bucket = ?, s3_key = v.key, file_size = v.bytes, checksum_sha256 = v.sha, content_type = v.ctype, migrated_at = now(),
            error_message = NULL, failure_reason = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            FROM unnest(?::uuid[], ?::text[], ?::text[], ?::int8[], ?::text[], ?::text[], ?::uuid[]) AS v(id, url, key, bytes, sha, ctype, token)
            WHERE j.id = v.id AND j.lease_owner = ? AND j.claim_token = v.token AND j.migration_status = 'pending' RETURNING j.id""";

    static final String END = """
            UPDATE s3_migration_log j SET migration_status = v.status, failure_reason = v.reason,
            error_message = v.message, next_attempt_at = CASE WHEN v.delay IS NULL THEN j.next_attempt_at
            ELSE now() + make_interval(secs => v.delay) END, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::uuid[]) AS v(id, status, reason, message, delay, token)
            WHERE j.id = v.id AND j.lease_owner = ? AND j.claim_token = v.token AND j.migration_status = 'pending' RETURNING j.id""";

    static final String UNMIGRATE = """
            UPDATE s3_migration_log SET migration_status = 'skipped', failure_reason = 'changed_source',
            error_message = ?, new_s3_url = NULL, migrated_at = NULL, updated_at = now() WHERE id = ? AND migration_status = 'migrated'""";

    static final String LIST = """
            SELECT id, table_name, record_id, file_id, source_column, old_url, new_s3_url, migration_status, attempts,
            failure_reason, error_message, file_size, checksum_sha256, lease_owner, next_attempt_at, migrated_at, created_at
            FROM s3_migration_log WHERE TRUE""";

    /** %1$s: where the window starts; %2$s: the filters that pick from it. */
    static final String RETRY = """
            WITH w AS (SELECT id, created_at, table_name, error_message FROM s3_migration_log WHERE %1$s
            ORDER BY created_at, id LIMIT ?), r AS (UPDATE s3_migration_log j SET migration_status = 'pending', attempts = 0,
            next_attempt_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE j.id IN (SELECT id FROM w WHERE TRUE
            %2$s) AND j.migration_status = 'failed' RETURNING 1)
            SELECT (SELECT count(*) FROM r), (SELECT created_at FROM w ORDER BY created_at DESC, id DESC LIMIT 1),
            (SELECT id FROM w ORDER BY created_at DESC, id DESC LIMIT 1), (SELECT count(*) FROM w)""";

    static final String MIGRATED_AFTER = """
            SELECT id, s3_bucket, s3_key, file_size, checksum_sha256
            FROM s3_migration_log WHERE migration_status = 'migrated' AND id > ? ORDER BY id LIMIT ?""";

    static final String VERIFIED = "UPDATE s3_migration_log SET verified_at = now() WHERE id = ANY(?::uuid[])";

    static final String REQUEUE = """
            UPDATE s3_migration_log SET migration_status = 'pending', attempts = 0, next_attempt_at = now(),
            failure_reason = 'verify_mismatch', error_message = 'verification found the object missing or different; copying again',
            updated_at = now() WHERE id = ANY(?::uuid[]) AND migration_status = 'migrated'""";

    static final String KEY_STATES = """
            SELECT id, s3_key, CASE WHEN migration_status = 'pending' AND lease_expires_at > now()
            THEN claim_token END FROM s3_migration_log WHERE id = ANY(?::uuid[])""";

    static final String OLDEST_PENDING = "SELECT created_at FROM s3_migration_log WHERE migration_status = 'pending' ORDER BY created_at LIMIT 1";
}

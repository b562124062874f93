package io.wharf.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * s3_migration_log as a job queue. A claim is one short statement: due pending jobs whose lease is free or
 * expired, locked with {@code FOR UPDATE SKIP LOCKED} so instances never take the same one, get this worker's
 * lease (owner and expiry on the database clock); a job whose lease runs out is anyone's again. Claims,
 * renewals and releases change no indexed column, so they can be HOT updates (V17 leaves room on the pages):
 * a busy queue does not grow its indexes with every lease. Every claim gives the job a new token (V19); every
 * later change checks it, so a worker that lost its lease, even one that claimed the job again since, cannot
 * renew, release or complete it with an old attempt.
 */
@ApplicationScoped
public class JobQueue {

    static final String CHANNEL = "wharf_s3_migration";
    /** The owner of jobs the operator's scan made from the seed tables' URLs (owner_tenant_id, V20). */
    static final UUID OPERATOR = new UUID(0, 0);

    private final DataSource dataSource;

    JobQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Due jobs for this worker, shared between their owners (tenants, and the operator's scan): the owners with
     * pending jobs are found one index step each, every owner's earliest due jobs are taken, and the claim
     * interleaves them (each owner's first, then each one's second, ...), so one owner's thousands of due jobs
     * cannot keep another's from being claimed. Owners this worker already holds enough jobs of ({@code full})
     * are left out. A due job claimed {@code maxAttempts} times already (its workers died or lost it each time,
     * so no outcome ever counted it down) is failed by the same statement instead of being tried forever; it is
     * not returned.
     */
    List<Job> claim(String owner, int limit, Duration lease, Duration margin, int maxAttempts, Collection<UUID> full) {
        String gaveUp = "j.attempts >= " + maxAttempts;
        String sql = "WITH RECURSIVE owners(o) AS ((SELECT owner_tenant_id FROM s3_migration_log WHERE migration_status = 'pending' "
                + "ORDER BY owner_tenant_id LIMIT 1) UNION ALL SELECT (SELECT l.owner_tenant_id FROM s3_migration_log l WHERE "
                + "l.migration_status = 'pending' AND l.owner_tenant_id > owners.o ORDER BY l.owner_tenant_id LIMIT 1) FROM owners "
                + "WHERE owners.o IS NOT NULL), "
                + "c AS (SELECT p.id, p.previous FROM owners, LATERAL (SELECT q.*, row_number() OVER (ORDER BY q.next_attempt_at) AS rn FROM "
                // a row comparison only ix_s3_migration_log_owner_due can answer: with owner = o the planner may take the
                // seed's due index instead and filter a large owner's rows to reach a small one's
                + "(SELECT id, lease_owner AS previous, next_attempt_at FROM s3_migration_log WHERE (owner_tenant_id, next_attempt_at) > "
                + "(owners.o, '-infinity') AND (owner_tenant_id, next_attempt_at) <= (owners.o, now()) "
                + "AND migration_status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at <= now()) "
                + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) q) p "
                + "WHERE owners.o IS NOT NULL AND owners.o <> ALL(?::uuid[]) ORDER BY p.rn, p.next_attempt_at LIMIT ?) "
                + "UPDATE s3_migration_log j SET "
                + "migration_status = CASE WHEN " + gaveUp + " THEN 'failed' ELSE j.migration_status END, "
                + "failure_reason = CASE WHEN " + gaveUp + " THEN 'gave_up' ELSE j.failure_reason END, "
                + "error_message = CASE WHEN " + gaveUp + " THEN 'gave up after ' || j.attempts || ' attempts that never finished (the worker "
                + "stopped or lost it each time); last error: ' || COALESCE(j.error_message, 'none') ELSE j.error_message END, "
                + "lease_owner = CASE WHEN " + gaveUp + " THEN NULL ELSE ? END, "
                + "lease_expires_at = CASE WHEN " + gaveUp + " THEN NULL ELSE now() + make_interval(secs => ?) END, "
                + "attempts = CASE WHEN " + gaveUp + " THEN j.attempts ELSE j.attempts + 1 END, updated_at = now(), "
                + "claim_token = CASE WHEN " + gaveUp + " THEN j.claim_token ELSE gen_random_uuid() END "
                + "FROM c WHERE j.id = c.id "
                + "RETURNING j.id, j.table_name, j.record_id, j.file_id, j.source_column, j.old_url, j.attempts, c.previous, j.migration_status, "
                + "j.owner_tenant_id, j.claim_token";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            double secs = lease.toMillis() / 1000.0;
            ps.setInt(1, limit);
            ps.setArray(2, c.createArrayOf("uuid", full.toArray()));
            ps.setInt(3, limit);
            ps.setString(4, owner);
            ps.setDouble(5, secs);
            List<Job> jobs = new ArrayList<>();
            boolean touched = true;
            while (jobs.isEmpty() && touched) { // a batch that only gave up jobs: the next ones may be due
                touched = false;
                long sentAt = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        touched = true;
                        if ("pending".equals(rs.getString(9))) {
                            jobs.add(new Job(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                                    (Long) rs.getObject(4, Long.class), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8) != null,
                                    rs.getObject(10, UUID.class), rs.getObject(11, UUID.class), new Lease(sentAt, lease, margin)));
                        }
                    }
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming migration jobs failed", e);
        }
    }

    /**
     * Extends the leases still held (same owner, same claim) and tells each job's {@link Lease}; returns the ids
     * whose lease this worker has lost (their copies stop).
     */
    List<UUID> renew(String owner, Collection<Job> jobs, Duration lease) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        String sql = "WITH renewed AS (UPDATE s3_migration_log j SET lease_expires_at = now() + make_interval(secs => ?) "
                + "FROM unnest(?::uuid[], ?::uuid[]) AS v(id, token) WHERE j.id = v.id AND j.claim_token = v.token AND j.lease_owner = ? "
                + "AND j.migration_status = 'pending' RETURNING j.id) "
                + "SELECT i FROM unnest(?::uuid[]) AS i WHERE i NOT IN (SELECT id FROM renewed)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            double secs = lease.toMillis() / 1000.0;
            var ids = c.createArrayOf("uuid", jobs.stream().map(Job::id).toArray());
            ps.setDouble(1, secs);
            ps.setArray(2, ids);
            ps.setArray(3, c.createArrayOf("uuid", jobs.stream().map(Job::token).toArray()));
            ps.setString(4, owner);
            ps.setArray(5, ids);
            long sentAt = System.nanoTime();
            List<UUID> lost = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lost.add(rs.getObject(1, UUID.class));
                }
            }
            for (Job j : jobs) {
                if (lost.contains(j.id())) {
                    j.lease().revoke();
                } else {
                    j.lease().renewed(sentAt);
                }
            }
            return lost;
        } catch (SQLException e) {
            throw new IllegalStateException("Renewing migration leases failed", e);
        }
    }

    /** Gives jobs back untried (shutdown, pause): due at once for anyone, and the attempt does not count. */
    void release(String owner, Collection<Job> jobs) {
        release(owner, jobs, Duration.ZERO);
    }

    /**
     * Gives jobs back untried, due again after {@code dueIn} (their host or S3 is not taking copies now); the
     * attempt does not count. Only this claim's jobs: the token must still be the one the claim set.
     */
    void release(String owner, Collection<Job> jobs, Duration dueIn) {
        if (jobs.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log j SET lease_owner = NULL, "
                     + "lease_expires_at = NULL, attempts = greatest(j.attempts - 1, 0), updated_at = now(), next_attempt_at = CASE WHEN ? > 0 "
                     + "THEN now() + make_interval(secs => ?) ELSE j.next_attempt_at END "
                     + "FROM unnest(?::uuid[], ?::uuid[]) AS v(id, token) "
                     + "WHERE j.id = v.id AND j.claim_token = v.token AND j.lease_owner = ? AND j.migration_status = 'pending'")) {
            double secs = dueIn.toMillis() / 1000.0;
            ps.setDouble(1, secs);
            ps.setDouble(2, secs);
            ps.setArray(3, c.createArrayOf("uuid", jobs.stream().map(Job::id).toArray()));
            ps.setArray(4, c.createArrayOf("uuid", jobs.stream().map(Job::token).toArray()));
            ps.setString(5, owner);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Releasing migration jobs failed", e);
        }
    }

    /** Wakes every instance's worker: jobs were added or sent back. Outside a transaction it takes effect at once. */
    void announce() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, 'jobs')")) {
            ps.setString(1, CHANNEL);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Announcing migration jobs failed", e);
        }
    }
}

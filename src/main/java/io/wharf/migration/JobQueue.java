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
 * s3_migration_log as a job queue. A claim is one short statement: due pending jobs, locked with
 * {@code FOR UPDATE SKIP LOCKED} so instances never take the same one, get this worker's lease; the lease
 * also moves {@code next_attempt_at} to its expiry, so a leased job is not due (the due index skips it) until
 * its lease runs out, and then anyone takes it over. Every later change checks that the lease is still this
 * worker's, on the database clock: a worker that lost its lease cannot complete a job twice.
 */
@ApplicationScoped
public class JobQueue {

    static final String CHANNEL = "wharf_s3_migration";

    private final DataSource dataSource;

    JobQueue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Due jobs for this worker. Jobs due again after {@code maxAttempts} claims (their workers died or lost them
     * each time, so no outcome ever counted them down) are failed instead of being tried forever.
     */
    List<Job> claim(String owner, int limit, Duration lease, int maxAttempts) {
        String sql = "UPDATE s3_migration_log j SET lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?), "
                + "next_attempt_at = now() + make_interval(secs => ?), attempts = j.attempts + 1, updated_at = now() "
                + "FROM (SELECT id, lease_owner AS previous FROM s3_migration_log WHERE migration_status = 'pending' AND next_attempt_at <= now() "
                + "AND attempts < ? ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) c WHERE j.id = c.id "
                + "RETURNING j.id, j.table_name, j.record_id, j.file_id, j.source_column, j.old_url, j.attempts, c.previous";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql);
             PreparedStatement giveUp = c.prepareStatement("UPDATE s3_migration_log SET migration_status = 'failed', failure_reason = 'gave_up', "
                     + "error_message = 'gave up after ' || attempts || ' attempts that never finished (the worker stopped or lost it each time); "
                     + "last error: ' || COALESCE(error_message, 'none'), lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
                     + "WHERE id IN (SELECT id FROM s3_migration_log WHERE migration_status = 'pending' AND next_attempt_at <= now() AND attempts >= ? "
                     + "LIMIT 100 FOR UPDATE SKIP LOCKED)")) {
            giveUp.setInt(1, maxAttempts);
            giveUp.executeUpdate();
            double secs = lease.toMillis() / 1000.0;
            ps.setString(1, owner);
            ps.setDouble(2, secs);
            ps.setDouble(3, secs);
            ps.setInt(4, maxAttempts);
            ps.setInt(5, limit);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(new Job(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), (Long) rs.getObject(4, Long.class),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8) != null));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new IllegalStateException("Claiming migration jobs failed", e);
        }
    }

    /** Extends the leases still held; returns the ids whose lease this worker has lost. */
    List<UUID> renew(String owner, Collection<UUID> ids, Duration lease) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "WITH renewed AS (UPDATE s3_migration_log SET lease_expires_at = now() + make_interval(secs => ?), next_attempt_at = now() + "
                + "make_interval(secs => ?) WHERE id = ANY(?::uuid[]) AND lease_owner = ? AND migration_status = 'pending' RETURNING id) "
                + "SELECT i FROM unnest(?::uuid[]) AS i WHERE i NOT IN (SELECT id FROM renewed)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            double secs = lease.toMillis() / 1000.0;
            var array = c.createArrayOf("uuid", ids.toArray());
            ps.setDouble(1, secs);
            ps.setDouble(2, secs);
            ps.setArray(3, array);
            ps.setString(4, owner);
            ps.setArray(5, array);
            List<UUID> lost = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lost.add(rs.getObject(1, UUID.class));
                }
            }
            return lost;
        } catch (SQLException e) {
            throw new IllegalStateException("Renewing migration leases failed", e);
        }
    }

    /** Gives jobs back untried (shutdown): due at once for anyone, and the attempt does not count. */
    void release(String owner, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log SET lease_owner = NULL, "
                     + "lease_expires_at = NULL, next_attempt_at = now(), attempts = greatest(attempts - 1, 0), updated_at = now() "
                     + "WHERE id = ANY(?::uuid[]) AND lease_owner = ? AND migration_status = 'pending'")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.setString(2, owner);
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

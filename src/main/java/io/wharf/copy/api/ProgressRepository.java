package io.wharf.copy.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The migration's standing without reading the queue: counters plus the deltas not yet folded in (a few
 * dozen rows), samples of the totals for rates, the oldest pending job by index, and the workers' heartbeats.
 */
@ApplicationScoped
class ProgressRepository {

    /** Advisory lock key of the compaction, so that one instance at a time folds deltas. */
    static final long FOLD_LOCK = 0x7768617266_02L;

    record Count(String table, String status, long jobs, long bytes) {
    }

    record Sample(OffsetDateTime at, long jobs, long bytes) {
    }

    record Worker(String owner, String host, @JsonProperty("started_at") OffsetDateTime startedAt,
            @JsonProperty("heartbeat_at") OffsetDateTime heartbeatAt,
            @JsonProperty("in_flight") int inFlight) {
    }

    private final DataSource dataSource;

    ProgressRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<Count> counts() {
        return query(
                "SELECT table_name, migration_status, sum(jobs)::bigint, sum(bytes)::bigint FROM (SELECT table_name, migration_status, jobs, bytes "
                        + "FROM s3_migration_counters UNION ALL SELECT table_name, migration_status, jobs, bytes FROM s3_migration_counter_deltas) c "
                        + "GROUP BY 1, 2 HAVING sum(jobs) <> 0 ORDER BY 1, 2",
                rs -> new Count(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }

    /** The newest sample at least {@code secondsAgo} old, if any. */
    Sample sampleBefore(long secondsAgo) {
        List<Sample> s = query(
                "SELECT sampled_at, migrated_jobs, migrated_bytes FROM s3_migration_samples WHERE sampled_at <= now() - make_interval(secs => "
                        + secondsAgo + ") ORDER BY sampled_at DESC LIMIT 1",
                rs -> new Sample(rs.getObject(1, OffsetDateTime.class), rs.getLong(2), rs.getLong(3)));
        if (s.isEmpty()) { // the migration is younger than that: its first sample
            s = query("SELECT sampled_at, migrated_jobs, migrated_bytes FROM s3_migration_samples ORDER BY sampled_at LIMIT 1",
                    rs -> new Sample(rs.getObject(1, OffsetDateTime.class), rs.getLong(2), rs.getLong(3)));
        }
        return s.isEmpty() ? null : s.get(0);
    }

    OffsetDateTime now() {
        return query("SELECT now()", rs -> rs.getObject(1, OffsetDateTime.class)).get(0);
    }

    List<Worker> workers(long aliveSeconds) {
        return query(
                "SELECT owner, host, started_at, heartbeat_at, in_flight FROM s3_migration_workers WHERE heartbeat_at > now() - make_interval(secs => "
                        + aliveSeconds + ") ORDER BY owner",
                rs -> new Worker(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getInt(5)));
    }

    void heartbeat(String owner, String host, int inFlight) {
        update("INSERT INTO s3_migration_workers (owner, host, in_flight) VALUES (?, ?, ?) ON CONFLICT (owner) DO UPDATE SET heartbeat_at = now(), "
                + "in_flight = EXCLUDED.in_flight", owner, host, inFlight);
    }

    void gone(String owner) {
        update("DELETE FROM s3_migration_workers WHERE owner = ?", owner);
    }

    /**
     * Folds the deltas into the counters, records a sample of the migrated totals, and forgets samples and
     * workers older than two hours; one instance at a time (the others find the lock taken and skip).
     */
    void fold() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, FOLD_LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        c.rollback();
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c
                    .prepareStatement("WITH d AS (DELETE FROM s3_migration_counter_deltas RETURNING table_name, migration_status, jobs, "
                            + "bytes) INSERT INTO s3_migration_counters AS c (table_name, migration_status, jobs, bytes) SELECT table_name, migration_status, "
                            + "sum(jobs), sum(bytes) FROM d GROUP BY 1, 2 ON CONFLICT (table_name, migration_status) DO UPDATE SET jobs = c.jobs + EXCLUDED.jobs, "
                            + "bytes = c.bytes + EXCLUDED.bytes")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c
                    .prepareStatement("INSERT INTO s3_migration_samples (migrated_jobs, migrated_bytes) SELECT COALESCE(sum(jobs), 0), "
                            + "COALESCE(sum(bytes), 0) FROM s3_migration_counters WHERE migration_status = 'migrated'");
                 PreparedStatement old = c.prepareStatement("DELETE FROM s3_migration_samples WHERE sampled_at < now() - interval '2 hours'");
                 PreparedStatement stale = c.prepareStatement("DELETE FROM s3_migration_workers WHERE heartbeat_at < now() - interval '2 hours'")) {
                ps.executeUpdate();
                old.executeUpdate();
                stale.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Folding migration counters failed", e);
        }
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading migration progress failed", e);
        }
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Writing migration state failed", e);
        }
    }
}

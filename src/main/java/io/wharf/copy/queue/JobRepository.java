package io.wharf.copy.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import io.wharf.common.web.PageCursor;
import io.wharf.copy.Job;
import io.wharf.copy.Lease;
import io.wharf.copy.Outcome;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * s3_migration_log, every statement on it (their text in {@link JobSql}): claim, renew, release and complete for the
 * workers; list, retry and verify for operators. A claim locks due jobs with {@code FOR UPDATE SKIP LOCKED} and gives
 * them this worker's lease (owner and expiry on the database clock) and a new fencing token (V19) that every later
 * change checks, so a worker that lost its lease cannot renew, release or complete it with an old attempt. Claims,
 * renewals and releases change no indexed column, so they can be HOT updates (V17 leaves room on the pages).
 */
@ApplicationScoped
public class JobRepository {

    public static final String CHANNEL = "wharf_s3_migration";

    /** A migrated job, for verification. */
    public record Migrated(UUID id, String bucket, String key, Long size, String checksum) {
    }

    /** Where a retry got to in the failed jobs (their status index order), and how many it sent back. */
    public record RetryStep(int retried, OffsetDateTime lastCreatedAt, UUID lastId) {
    }

    /** What the leftover sweep needs of a job: the key it recorded, and the token of a claim whose lease runs now. */
    public record KeyState(String recordedKey, UUID liveToken) {
    }

    /** How an attempt that copied nothing ends its job: skipped, failed, or pending again after {@code delaySeconds}. */
    record Ending(Outcome outcome, String status, String reason, String message, Double delaySeconds) {
    }

    private final DataSource dataSource;

    JobRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Due jobs for this worker, every owner's earliest interleaved (one owner's thousands cannot hold another's back),
     * leaving out the owners in {@code full}. A due job claimed {@code maxAttempts} times already (its workers died or
     * lost it each time) is failed by the same statement instead, and not returned.
     */
    public List<Job> claim(String owner, int limit, Duration lease, Duration margin, int maxAttempts, Collection<UUID> full) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(JobSql.CLAIM.formatted("j.attempts >= " + maxAttempts))) {
            ps.setInt(1, limit);
            ps.setArray(2, c.createArrayOf("uuid", full.toArray()));
            ps.setInt(3, limit);
            ps.setString(4, owner);
            ps.setDouble(5, lease.toMillis() / 1000.0);
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

    /** Extends the leases still held (same owner, same claim) and tells each job's {@link Lease}; returns the ids whose lease is lost. */
    public List<UUID> renew(String owner, Collection<Job> jobs, Duration lease) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        UUID[] ids = jobs.stream().map(Job::id).toArray(UUID[]::new);
        long sentAt = System.nanoTime(); // before the statement is sent, so the lease is counted on the safe side
        List<UUID> lost = query(JobSql.RENEW, List.of(lease.toMillis() / 1000.0, ids, jobs.stream().map(Job::token).toArray(UUID[]::new), owner, ids),
                rs -> rs.getObject(1, UUID.class), "Renewing migration leases failed");
        for (Job j : jobs) {
            if (lost.contains(j.id())) {
                j.lease().revoke();
            } else {
                j.lease().renewed(sentAt);
            }
        }
        return lost;
    }

    /**
     * Gives jobs back untried, due again after {@code dueIn} (zero: at once; their host or S3 is not taking copies
     * now, or the worker stops or pauses); the attempt does not count. Only this claim's jobs: the token must match.
     */
    public void release(String owner, Collection<Job> jobs, Duration dueIn) {
        if (jobs.isEmpty()) {
            return;
        }
        double secs = dueIn.toMillis() / 1000.0;
        update(JobSql.RELEASE, "Releasing migration jobs failed", secs, secs, jobs.stream().map(Job::id).toArray(UUID[]::new),
                jobs.stream().map(Job::token).toArray(UUID[]::new), owner);
    }

    /** Wakes every instance's worker: jobs were added or sent back. Outside a transaction it takes effect at once. */
    public void announce() {
        query(JobSql.ANNOUNCE, List.of(CHANNEL), rs -> 1, "Announcing migration jobs failed");
    }

    /** Marks copied jobs migrated, in the caller's transaction; answers those whose lease was still this claim's. */
    Set<UUID> migrated(Connection c, String owner, String bucket, List<Outcome.Copied> copied) throws SQLException {
        return copied.isEmpty() ? new HashSet<>() : returning(c, JobSql.MIGRATED, bucket, SourceRows.array(c, "uuid", copied, o -> o.job().id()),
                SourceRows.array(c, "text", copied, Outcome.Copied::url), SourceRows.array(c, "text", copied, Outcome.Copied::key),
                SourceRows.array(c, "int8", copied, Outcome.Copied::bytes), SourceRows.array(c, "text", copied, Outcome.Copied::sha256Hex),
                SourceRows.array(c, "text", copied, Outcome.Copied::contentType), SourceRows.array(c, "uuid", copied, o -> o.job().token()), owner);
    }

    /** Skipped jobs and failures in one statement, in the caller's transaction; answers those whose lease was still this claim's. */
    Set<UUID> end(Connection c, String owner, List<Ending> ended) throws SQLException {
        return ended.isEmpty() ? new HashSet<>() : returning(c, JobSql.END, SourceRows.array(c, "uuid", ended, e -> e.outcome().job().id()),
                SourceRows.array(c, "text", ended, Ending::status), SourceRows.array(c, "text", ended, Ending::reason),
                SourceRows.array(c, "text", ended, Ending::message), SourceRows.array(c, "float8", ended, Ending::delaySeconds),
                SourceRows.array(c, "uuid", ended, e -> e.outcome().job().token()), owner);
    }

    /** A job just marked migrated whose source row no longer holds its URL: skipped, in the same transaction. */
    static void unmigrate(Connection c, Job job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JobSql.UNMIGRATE)) {
            ps.setString(1, "The " + job.table() + " row no longer holds this URL, or its S3 URL was set meanwhile (changed after the scan); "
                    + "the copy was discarded");
            ps.setObject(2, job.id());
            ps.executeUpdate();
        }
    }

    /** Newest first, after the cursor; limit+1 rows so the caller can tell whether there is more. */
    public List<JobView> list(String status, String table, String error, PageCursor after, int limit) {
        StringBuilder sql = new StringBuilder(JobSql.LIST);
        List<Object> params = new ArrayList<>();
        if (status != null) {
            sql.append(" AND migration_status = ?");
            params.add(status);
        }
        if (table != null) {
            sql.append(" AND table_name = ?");
            params.add(table);
        }
        if (error != null) {
            sql.append(" AND error_message ILIKE ? ESCAPE '\\'");
            params.add(contains(error));
        }
        if (after != null) {
            sql.append(" AND (created_at, id) < (?, ?)");
            params.add(after.createdAt());
            params.add(UUID.fromString(after.id()));
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        params.add(limit + 1);
        return query(sql.toString(), params, rs -> new JobView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                (Long) rs.getObject(4, Long.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9),
                rs.getString(10),
                rs.getString(11), (Long) rs.getObject(12, Long.class), rs.getString(13), rs.getString(14), rs.getObject(15, OffsetDateTime.class),
                rs.getObject(16, OffsetDateTime.class), rs.getObject(17, OffsetDateTime.class)), "Listing migration jobs failed");
    }

    /**
     * The next {@code limit} failed jobs after a position (of a table, with an error text), back to pending as new.
     * Each step continues where the last stopped, so a retry over millions of failed jobs reads each once.
     */
    public RetryStep retry(String table, String error, OffsetDateTime afterCreated, UUID afterId, int limit) {
        String where = "migration_status = 'failed'";
        List<Object> params = new ArrayList<>();
        if (afterCreated != null) {
            where += " AND (created_at, id) > (?, ?)";
            params.add(afterCreated);
            params.add(afterId);
        }
        params.add(limit);
        String filter = "";
        if (table != null) {
            filter += " AND table_name = ?";
            params.add(table);
        }
        if (error != null) {
            filter += " AND error_message ILIKE ? ESCAPE '\\'";
            params.add(contains(error));
        }
        // the window walks the index; the filters pick from it; the last row of the window (matched or not) is where the next step starts
        return query(JobSql.RETRY.formatted(where, filter), params, rs -> rs.getLong(4) < limit ? new RetryStep(rs.getInt(1), null, null)
                : new RetryStep(rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, UUID.class)), "Retrying migration jobs failed")
                .get(0);
    }

    public List<Migrated> migratedAfter(UUID after, int limit) {
        return query(JobSql.MIGRATED_AFTER, List.of(after == null ? new UUID(0, 0) : after, limit), rs -> new Migrated(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getString(3), (Long) rs.getObject(4, Long.class), rs.getString(5)), "Reading migrated jobs failed");
    }

    /** Marks verified jobs, and sends the mismatched ones back to pending when asked to. */
    public void verified(List<UUID> ok, List<UUID> requeue) {
        update(JobSql.VERIFIED, "Recording verification failed", (Object) ok.toArray(UUID[]::new));
        update(JobSql.REQUEUE, "Recording verification failed", (Object) requeue.toArray(UUID[]::new));
    }

    public Map<UUID, KeyState> keyStates(Collection<UUID> ids) {
        Map<UUID, KeyState> out = new HashMap<>();
        query(JobSql.KEY_STATES, List.of((Object) ids.toArray(UUID[]::new)),
                rs -> Map.entry(rs.getObject(1, UUID.class), new KeyState(rs.getString(2), rs.getObject(3, UUID.class))),
                "Reading migration jobs failed").forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public OffsetDateTime oldestPending() {
        List<OffsetDateTime> t = query(JobSql.OLDEST_PENDING, List.of(), rs -> rs.getObject(1, OffsetDateTime.class),
                "Reading migration progress failed");
        return t.isEmpty() ? null : t.get(0);
    }

    /** A LIKE pattern for "contains this text", its own %, _ and \\ taken literally. */
    private static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> params, Row<T> row, String failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = bind(c, sql, params)) {
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    private void update(String sql, String failure, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = bind(c, sql, Arrays.asList(params))) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    private static PreparedStatement bind(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i) instanceof UUID[] ids ? c.createArrayOf("uuid", ids) : params.get(i));
        }
        return ps;
    }

    /** The ids an UPDATE ... RETURNING id answered. */
    private static Set<UUID> returning(Connection c, String sql, Object... params) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (PreparedStatement ps = bind(c, sql, Arrays.asList(params)); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }
}

package io.wharf.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.wharf.common.web.PageCursor;
import jakarta.enterprise.context.ApplicationScoped;

/** The queue as operators read and steer it: filtered pages of jobs, and failed jobs sent back to pending in batches. */
@ApplicationScoped
class JobRepository {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobView(UUID id, @JsonProperty("table_name") String tableName, @JsonProperty("record_id") UUID recordId,
            @JsonProperty("file_id") Long fileId, @JsonProperty("source_column") String sourceColumn, @JsonProperty("old_url") String oldUrl,
            @JsonProperty("new_s3_url") String newS3Url, @JsonProperty("migration_status") String status, int attempts,
            @JsonProperty("failure_reason") String failureReason, @JsonProperty("error_message") String errorMessage,
            @JsonProperty("file_size") Long fileSize, @JsonProperty("checksum_sha256") String checksum,
            @JsonProperty("lease_owner") String leaseOwner,
            @JsonProperty("next_attempt_at") OffsetDateTime nextAttemptAt, @JsonProperty("migrated_at") OffsetDateTime migratedAt,
            @JsonProperty("created_at") OffsetDateTime createdAt) {
    }

    /** A LIKE pattern for "contains this text", its own %, _ and \\ taken literally. */
    private static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** A migrated job, for verification. */
    record Migrated(UUID id, String bucket, String key, Long size, String checksum) {
    }

    private final DataSource dataSource;

    JobRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Newest first, after the cursor; limit+1 rows so the caller can tell whether there is more. */
    List<JobView> list(String status, String table, String error, PageCursor after, int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, table_name, record_id, file_id, source_column, old_url, new_s3_url, migration_status, attempts, "
                        + "failure_reason, error_message, file_size, checksum_sha256, lease_owner, next_attempt_at, migrated_at, created_at FROM s3_migration_log WHERE TRUE");
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
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<JobView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JobView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), (Long) rs.getObject(4, Long.class),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11),
                            (Long) rs.getObject(12, Long.class), rs.getString(13), rs.getString(14), rs.getObject(15, OffsetDateTime.class),
                            rs.getObject(16, OffsetDateTime.class), rs.getObject(17, OffsetDateTime.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Listing migration jobs failed", e);
        }
    }

    /** Where a retry got to in the failed jobs (their status index order), and how many it sent back. */
    record RetryStep(int retried, OffsetDateTime lastCreatedAt, UUID lastId) {
    }

    /**
     * The next {@code limit} failed jobs after a position (of a table, with an error text), back to pending as new.
     * Each step continues where the last stopped, so a retry over millions of failed jobs reads each once.
     */
    RetryStep retry(String table, String error, OffsetDateTime afterCreated, UUID afterId, int limit) {
        StringBuilder where = new StringBuilder("migration_status = 'failed'");
        List<Object> params = new ArrayList<>();
        if (afterCreated != null) {
            where.append(" AND (created_at, id) > (?, ?)");
            params.add(afterCreated);
            params.add(afterId);
        }
        String filter = "";
        List<Object> filterParams = new ArrayList<>();
        if (table != null) {
            filter += " AND table_name = ?";
            filterParams.add(table);
        }
        if (error != null) {
            filter += " AND error_message ILIKE ? ESCAPE '\\'";
            filterParams.add(contains(error));
        }
        // the window walks the index; the filters pick from it; the last row of the window (matched or not) is where the next step starts
        String sql = "WITH w AS (SELECT id, created_at, table_name, error_message FROM s3_migration_log WHERE " + where
                + " ORDER BY created_at, id LIMIT ?), r AS (UPDATE s3_migration_log j SET migration_status = 'pending', attempts = 0, "
                + "next_attempt_at = now(), lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE j.id IN (SELECT id FROM w WHERE TRUE"
                + filter + ") AND j.migration_status = 'failed' RETURNING 1) "
                + "SELECT (SELECT count(*) FROM r), (SELECT created_at FROM w ORDER BY created_at DESC, id DESC LIMIT 1), "
                + "(SELECT id FROM w ORDER BY created_at DESC, id DESC LIMIT 1), (SELECT count(*) FROM w)";
        params.add(limit);
        params.addAll(filterParams);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(4) < limit ? new RetryStep(rs.getInt(1), null, null)
                        : new RetryStep(rs.getInt(1), rs.getObject(2, OffsetDateTime.class), rs.getObject(3, UUID.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Retrying migration jobs failed", e);
        }
    }

    List<Migrated> migratedAfter(UUID after, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, s3_bucket, s3_key, file_size, checksum_sha256 "
                     + "FROM s3_migration_log WHERE migration_status = 'migrated' AND id > ? ORDER BY id LIMIT ?")) {
            ps.setObject(1, after == null ? new UUID(0, 0) : after);
            ps.setInt(2, limit);
            List<Migrated> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Migrated(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), (Long) rs.getObject(4, Long.class),
                            rs.getString(5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading migrated jobs failed", e);
        }
    }

    /** Marks verified jobs, and sends the mismatched ones back to pending when asked to. */
    void verified(List<UUID> ok, List<UUID> requeue) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement v = c.prepareStatement("UPDATE s3_migration_log SET verified_at = now() WHERE id = ANY(?::uuid[])");
             PreparedStatement r = c
                     .prepareStatement("UPDATE s3_migration_log SET migration_status = 'pending', attempts = 0, next_attempt_at = now(), "
                             + "failure_reason = 'verify_mismatch', error_message = 'verification found the object missing or different; copying again', "
                             + "updated_at = now() WHERE id = ANY(?::uuid[]) AND migration_status = 'migrated'")) {
            v.setArray(1, c.createArrayOf("uuid", ok.toArray()));
            v.executeUpdate();
            r.setArray(1, c.createArrayOf("uuid", requeue.toArray()));
            r.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording verification failed", e);
        }
    }

    /** What the leftover sweep needs of a job: the key it recorded, and the token of a claim whose lease runs now. */
    record KeyState(String recordedKey, UUID liveToken) {
    }

    Map<UUID, KeyState> keyStates(Collection<UUID> ids) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, s3_key, CASE WHEN migration_status = 'pending' AND lease_expires_at > now() "
                     + "THEN claim_token END FROM s3_migration_log WHERE id = ANY(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            Map<UUID, KeyState> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), new KeyState(rs.getString(2), rs.getObject(3, UUID.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading migration jobs failed", e);
        }
    }
}

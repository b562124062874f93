package io.wharf.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.WharfConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Applies attempts' outcomes to the queue and to the rows the files belong to, many per transaction. Each is
 * applied only while the job's lease is still this worker's (checked first, on the job row it then locks):
 * a worker whose lease ran out drops its result, so no job is completed twice. A migrated job writes, in the
 * same transaction, the S3 URL into its source row (the S3 column, or the same position of the S3 array) if
 * that row still holds the legacy URL, one user_uploads row for the object (its bucket and key are unique) and
 * an audit row as Wharf's own; a files row becomes source 's3'. A batch that fails is applied outcome by
 * outcome, so one bad row cannot hold the others back.
 */
@ApplicationScoped
class Completions {

    static final UUID LEGACY_TENANT = UUID.fromString("00000000-0000-4000-8000-000000000001");
    private static final UUID NO_USER = new UUID(0, 0);
    private static final Logger LOG = Logger.getLogger(Completions.class);

    /** What applying did: the outcomes whose lease was lost, and objects copied for a source that changed meanwhile. */
    record Applied(List<Outcome> leaseLost, List<String> orphanKeys) {
    }

    private final EntityManager em;
    private final AuditService audit;
    private final String bucket;
    private final int maxAttempts;
    private final Backoff backoff;

    Completions(EntityManager em, AuditService audit, WharfConfig config) {
        this.em = em;
        this.audit = audit;
        this.bucket = config.s3().bucket();
        this.maxAttempts = config.migration().maxAttempts();
        this.backoff = new Backoff(config.migration().backoffBase(), config.migration().backoffCap());
    }

    Applied apply(String owner, List<Outcome> unordered) {
        // one order for every worker, so that two batches touching the same rows cannot deadlock
        List<Outcome> outcomes = new ArrayList<>(unordered);
        outcomes.sort(java.util.Comparator.comparing((Outcome o) -> o.job().table()).thenComparing(o -> String.valueOf(o.job().recordId()))
                .thenComparing(o -> o.job().id()));
        List<Outcome> lost = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                boundLockWaits();
                outcomes.forEach(o -> applyOne(owner, o, lost, orphans));
            });
            return new Applied(lost, orphans);
        } catch (RuntimeException batch) {
            if (outcomes.size() == 1) {
                throw batch;
            }
            LOG.warnf("Applying %d migration outcomes together failed (%s); applying them one by one", outcomes.size(), batch.toString());
        }
        lost.clear();
        orphans.clear();
        for (Outcome o : outcomes) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    boundLockWaits();
                    applyOne(owner, o, lost, orphans);
                });
            } catch (RuntimeException e) {
                if (transientFailure(e)) {
                    // left as it is: its lease runs out and the job is tried again (the copy is overwritten then)
                    LOG.warnf("Migration job %s could not be recorded for now (%s); it is tried again once its lease expires", o.job().id(),
                            e.toString());
                    continue;
                }
                LOG.errorf(e, "Migration job %s could not be recorded", o.job().id());
                Outcome failed = new Outcome.Failed(o.job(), "internal", "Wharf could not record the result: " + e.getClass().getSimpleName(), true,
                        null);
                try {
                    QuarkusTransaction.requiringNew().run(() -> applyOne(owner, failed, lost, orphans));
                    if (o instanceof Outcome.Copied c) {
                        orphans.add(c.key());
                    }
                } catch (RuntimeException again) {
                    LOG.warnf("Migration job %s could not be marked failed either (%s); its lease expires", o.job().id(), again.toString());
                }
            }
        }
        return new Applied(lost, orphans);
    }

    /** A source row held by a long transaction elsewhere must not stall this worker: such a job waits for its lease instead. */
    private void boundLockWaits() {
        em.unwrap(Session.class).doWork(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '2s'");
            }
        });
    }

    /** Deadlocks, serialization failures, lock timeouts and lost connections: recording may succeed later. */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.equals("55P03") || state.equals("57014") || state.startsWith("57P")) {
                    return true;
                }
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException || t instanceof org.hibernate.exception.LockAcquisitionException) {
                return true;
            }
        }
        return false;
    }

    private void applyOne(String owner, Outcome o, List<Outcome> lost, List<String> orphans) {
        em.unwrap(Session.class).doWork(c -> {
            if (o instanceof Outcome.Copied copied) {
                if (!migrated(c, owner, copied)) {
                    lost.add(o);
                    return;
                }
                Source source = writeSource(c, copied);
                if (source == null) {
                    end(c, owner, o.job(), "skipped", "changed_source",
                            "The " + o.job().table() + " row no longer holds this URL, or its S3 URL was set meanwhile (changed after the scan); "
                                    + "the copy was discarded",
                            true);
                    if (!recorded(c, copied.key())) { // a key recorded by an earlier migration of this job is in use
                        orphans.add(copied.key());
                    }
                    return;
                }
                recordUpload(c, copied, source);
                audit.record(source.tenant(), Actor.SYSTEM, "migrate_to_s3", source.resourceType(), source.resourceId(),
                        Map.of(o.job().sourceColumn(), o.job().oldUrl()), Map.of(target(o.job()), copied.url()));
            } else if (o instanceof Outcome.Skipped s) {
                if (!end(c, owner, o.job(), "skipped", "skipped", s.reason(), false)) {
                    lost.add(o);
                }
            } else if (o instanceof Outcome.Failed f) {
                boolean giveUp = f.permanent() || o.job().attempts() >= maxAttempts;
                boolean held = giveUp
                        ? end(c, owner, o.job(), "failed", f.reason(), f.permanent() ? f.message()
                                : f.message() + " (gave up after " + o.job().attempts() + " attempts)", false)
                        : retry(c, owner, f);
                if (!held) {
                    lost.add(o);
                }
            }
        });
    }

    private static String target(Job job) {
        LegacyColumn col = job.column();
        return col == null || col.s3Column == null ? "s3_key" : col.s3Column;
    }

    private boolean migrated(Connection c, String owner, Outcome.Copied o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log SET migration_status = 'migrated', new_s3_url = ?, s3_bucket = ?, "
                + "s3_key = ?, file_size = ?, checksum_sha256 = ?, content_type = ?, migrated_at = now(), error_message = NULL, failure_reason = NULL, "
                + "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = ? AND lease_owner = ? AND migration_status = 'pending'")) {
            ps.setString(1, o.url());
            ps.setString(2, bucket);
            ps.setString(3, o.key());
            ps.setLong(4, o.bytes());
            ps.setString(5, o.sha256Hex());
            ps.setString(6, o.contentType());
            ps.setObject(7, o.job().id());
            ps.setString(8, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** The row the file belongs to, once it points at the S3 copy; null when it no longer holds the legacy URL. */
    record Source(UUID tenant, UUID user, UUID partner, String resourceType, String resourceId) {
    }

    /** Jobs written by seed 001's own scripts name no column: each URL column of the table is tried. */
    private Source writeSource(Connection c, Outcome.Copied o) throws SQLException {
        if (o.job().sourceColumn() == null || o.job().sourceColumn().isEmpty()) {
            for (LegacyColumn col : LegacyColumn.of(o.job().table())) {
                Source s = writeSource(c, o, col);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }
        LegacyColumn col = o.job().column();
        return col == null ? null : writeSource(c, o, col);
    }

    private Source writeSource(Connection c, Outcome.Copied o, LegacyColumn col) throws SQLException {
        Job job = o.job();
        if (col == LegacyColumn.FILES) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE files SET source = 's3', s3_bucket = ?, s3_key = ?, url = ?, size_bytes = ?, "
                    + "checksum_sha256 = ?, content_type = COALESCE(content_type, ?) WHERE id = ? AND ((url = ? AND source = 'ext') OR (s3_bucket = ? AND s3_key = ?)) "
                    + "RETURNING tenant_id")) {
                ps.setString(1, bucket);
                ps.setString(2, o.key());
                ps.setString(3, o.url());
                ps.setLong(4, o.bytes());
                ps.setString(5, o.sha256Hex());
                ps.setString(6, o.contentType());
                ps.setLong(7, job.fileId());
                ps.setString(8, job.oldUrl());
                ps.setString(9, bucket);
                ps.setString(10, o.key());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Source(rs.getObject(1, UUID.class), NO_USER, null, "file", Long.toString(job.fileId())) : null;
                }
            }
        }
        // only a position (or column) that is still empty, or already holds this copy, takes the S3 URL: one written
        // after the scan (a new upload) is never overwritten, and entries beyond the URL array are kept
        String urls = col.column;
        String s3 = "(CASE WHEN jsonb_typeof(" + col.s3Column + ") = 'array' THEN " + col.s3Column + " ELSE '[]'::jsonb END)";
        String positions = "generate_series(0, greatest(jsonb_array_length(" + urls + "), jsonb_array_length(" + s3 + ")) - 1) AS i";
        String set = col.array
                ? col.s3Column + " = (SELECT COALESCE(jsonb_agg(CASE WHEN " + urls + " ->> i = ? AND COALESCE(" + s3 + " ->> i, '') IN ('', ?) "
                        + "THEN to_jsonb(?::text) ELSE COALESCE(" + s3 + " -> i, 'null'::jsonb) END ORDER BY i), '[]'::jsonb) FROM " + positions + ")"
                : col.s3Column + " = ?";
        String holds = col.array
                ? "jsonb_typeof(" + urls + ") = 'array' AND EXISTS (SELECT 1 FROM generate_series(0, jsonb_array_length(" + urls + ") - 1) AS i "
                        + "WHERE " + urls + " ->> i = ? AND COALESCE(" + s3 + " ->> i, '') IN ('', ?))"
                : col.column + " = ? AND COALESCE(" + col.s3Column + ", '') IN ('', ?)";
        String returning = switch (col.table) {
            case "business_profiles" -> "user_id, partner_id";
            case "business_partners" -> "NULL::uuid, id";
            default -> "NULL::uuid, NULL::uuid";
        };
        try (PreparedStatement ps = c
                .prepareStatement("UPDATE " + col.table + " SET " + set + " WHERE id = ? AND " + holds + " RETURNING " + returning)) {
            int i = 1;
            if (col.array) {
                ps.setString(i++, job.oldUrl());
                ps.setString(i++, o.url());
            }
            ps.setString(i++, o.url());
            ps.setObject(i++, job.recordId());
            ps.setString(i++, job.oldUrl());
            ps.setString(i, o.url());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                UUID user = rs.getObject(1, UUID.class);
                return new Source(LEGACY_TENANT, user == null ? NO_USER : user, rs.getObject(2, UUID.class), col.table, job.recordId().toString());
            }
        }
    }

    private boolean recorded(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM user_uploads WHERE s3_bucket = ? AND s3_key = ?")) {
            ps.setString(1, bucket);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void recordUpload(Connection c, Outcome.Copied o, Source source) throws SQLException {
        LegacyColumn col = o.job().column() != null ? o.job().column() : LegacyColumn.of(o.job().table()).get(0);
        try (PreparedStatement ps = c
                .prepareStatement("INSERT INTO user_uploads (tenant_id, user_id, partner_id, filename, original_filename, s3_url, "
                        + "s3_bucket, s3_key, content_type, file_size, upload_type, is_public, metadata, upload_status, completed_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, jsonb_build_object('migrated_from', ?::text, 'migration_job_id', ?::text, "
                        + "'source', ?::text), 'completed', now()) ON CONFLICT (s3_bucket, s3_key) DO NOTHING")) {
            int i = 1;
            ps.setObject(i++, source.tenant());
            ps.setObject(i++, source.user());
            ps.setObject(i++, source.partner());
            ps.setString(i++, o.key().substring(o.key().lastIndexOf('/') + 1));
            ps.setString(i++, Keys.originalName(o.job().oldUrl()));
            ps.setString(i++, o.url());
            ps.setString(i++, bucket);
            ps.setString(i++, o.key());
            ps.setString(i++, o.contentType());
            ps.setLong(i++, o.bytes());
            ps.setString(i++, col.uploadType);
            ps.setString(i++, o.job().oldUrl());
            ps.setString(i++, o.job().id().toString());
            ps.setString(i, o.job().table() + "." + o.job().sourceColumn());
            ps.executeUpdate();
        }
    }

    /** Ends the job (skipped or failed); false when the lease is no longer this worker's. */
    private static boolean end(Connection c, String owner, Job job, String status, String reason, String message, boolean afterMigrated)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log SET migration_status = ?, failure_reason = ?, error_message = ?, "
                + "lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
                + (afterMigrated ? ", new_s3_url = NULL, migrated_at = NULL WHERE id = ? AND migration_status = 'migrated'"
                        : " WHERE id = ? AND lease_owner = ? AND migration_status = 'pending'"))) {
            ps.setString(1, status);
            ps.setString(2, reason);
            ps.setString(3, Keys.clip(message));
            ps.setObject(4, job.id());
            if (!afterMigrated) {
                ps.setString(5, owner);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private boolean retry(Connection c, String owner, Outcome.Failed f) throws SQLException {
        java.time.Duration delay = backoff.delay(f.job().attempts(), f.retryAfter());
        try (PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_log SET next_attempt_at = now() + make_interval(secs => ?), "
                + "failure_reason = ?, error_message = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
                + "WHERE id = ? AND lease_owner = ? AND migration_status = 'pending'")) {
            ps.setDouble(1, delay.toMillis() / 1000.0);
            ps.setString(2, f.reason());
            ps.setString(3,
                    Keys.clip(f.message() + " (attempt " + f.job().attempts() + " of " + maxAttempts + "; next in " + delay.toSeconds() + " s)"));
            ps.setObject(4, f.job().id());
            ps.setString(5, owner);
            return ps.executeUpdate() == 1;
        }
    }
}

package io.wharf.bma;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * ingest_pending_objects: the keys a request is about to write to S3 (or to reference) while its rows are not
 * committed. An object is wanted while a files row references it or an attempt lists it. Listing a key and
 * deciding that a key is unwanted both hold a transaction-scoped advisory lock on the key, and an unwanted
 * object is deleted while that lock is held: so no attempt can list a key, write it and commit a files row
 * for it between another's check and delete. That delete is the one network call made inside a transaction
 * here, on purpose: it is what makes the check and the delete one step.
 */
@ApplicationScoped
class PendingObjects {

    /** The keys a stale attempt listed. */
    record Attempt(UUID id, List<String> keys) {
    }

    private static final String LOCK_KEYS = "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(? || '/' || k, 0) AS h "
            + "FROM unnest(?::text[]) AS k ORDER BY 1) locks";

    private final DataSource dataSource;
    private final EntityManager em;

    PendingObjects(DataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    /** Committed on its own before the objects are written, so that any later check sees it. */
    void register(UUID attempt, String bucket, Collection<String> keys) {
        inTransaction(c -> {
            lock(c, bucket, keys);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_pending_objects (attempt_id, s3_bucket, s3_key) "
                    + "SELECT ?, ?, k FROM unnest(?::text[]) AS k ON CONFLICT DO NOTHING")) {
                ps.setObject(1, attempt);
                ps.setString(2, bucket);
                ps.setArray(3, c.createArrayOf("text", keys.toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** In the transaction that inserts the files rows: they reference the objects from its commit on. */
    void committing(UUID attempt) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_pending_objects WHERE attempt_id = ?")) {
                ps.setObject(1, attempt);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes (with {@code delete}) those of the keys that no files row and no attempt other than {@code attempt}
     * needs, then forgets the attempt; returns how many objects went. {@code attempt} may be null (the sweep of
     * objects no attempt lists). A failing delete rolls it all back, to be tried again by the sweep.
     */
    int release(UUID attempt, String bucket, Collection<String> keys, Consumer<List<String>> delete) {
        return inTransaction(c -> {
            lock(c, bucket, keys);
            List<String> unwanted = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT k FROM unnest(?::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM files f "
                    + "WHERE f.s3_bucket = ? AND f.s3_key = k) AND NOT EXISTS (SELECT 1 FROM ingest_pending_objects p WHERE p.s3_bucket = ? "
                    + "AND p.s3_key = k AND p.attempt_id IS DISTINCT FROM ?)")) {
                ps.setArray(1, c.createArrayOf("text", keys.toArray()));
                ps.setString(2, bucket);
                ps.setString(3, bucket);
                ps.setObject(4, attempt);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unwanted.add(rs.getString(1));
                    }
                }
            }
            if (!unwanted.isEmpty()) {
                delete.accept(unwanted);
            }
            if (attempt != null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_pending_objects WHERE attempt_id = ?")) {
                    ps.setObject(1, attempt);
                    ps.executeUpdate();
                }
            }
            return unwanted.size();
        });
    }

    /** Attempts listed longer ago than {@code age}: no request lives that long, so they crashed. */
    List<Attempt> stale(Duration age, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT attempt_id, s3_key FROM ingest_pending_objects WHERE attempt_id IN (SELECT attempt_id "
                     + "FROM ingest_pending_objects WHERE created_at < now() - make_interval(secs => ?) GROUP BY attempt_id LIMIT ?)")) {
            ps.setDouble(1, age.toMillis() / 1000.0);
            ps.setInt(2, limit);
            Map<UUID, List<String>> byAttempt = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byAttempt.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return byAttempt.entrySet().stream().map(e -> new Attempt(e.getKey(), e.getValue())).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("Reading stale ingestion attempts failed", e);
        }
    }

    private static void lock(Connection c, String bucket, Collection<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LOCK_KEYS)) {
            ps.setString(1, bucket);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.execute();
        }
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Keeping track of objects in flight failed", e);
        }
    }
}

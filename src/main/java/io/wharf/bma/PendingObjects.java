package io.wharf.bma;

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

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * ingest_pending_objects: the keys a request has written to S3 (or is about to) while its rows are not
 * committed. An object is still wanted while a files row or any attempt lists its key; only then may a
 * failed request or the sweep delete it.
 */
@ApplicationScoped
class PendingObjects {

    private final DataSource dataSource;
    private final EntityManager em;

    PendingObjects(DataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    /** Committed on its own before the objects are written, so that any concurrent cleanup sees it. */
    void register(UUID attempt, String bucket, Collection<String> keys) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_pending_objects (attempt_id, s3_bucket, s3_key) "
                     + "SELECT ?, ?, k FROM unnest(?) AS k ON CONFLICT DO NOTHING")) {
            ps.setObject(1, attempt);
            ps.setString(2, bucket);
            ps.setArray(3, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Registering objects in flight failed", e);
        }
    }

    /** In the caller's transaction: its files rows now reference the objects. */
    void release(UUID attempt) {
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_pending_objects WHERE attempt_id = ?")) {
                ps.setObject(1, attempt);
                ps.executeUpdate();
            }
        });
    }

    /**
     * After a failed attempt deleted its objects: forgets the attempt and answers which of its keys another
     * request or a committed files row still needs (those must be written again).
     */
    List<String> abandon(UUID attempt, String bucket, Collection<String> keys) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_pending_objects WHERE attempt_id = ?")) {
                ps.setObject(1, attempt);
                ps.executeUpdate();
            }
            return wanted(c, bucket, keys);
        } catch (SQLException e) {
            throw new IllegalStateException("Releasing objects in flight failed", e);
        }
    }

    /** Of the keys, those no files row references (another attempt may still want them). */
    List<String> unwantedByFiles(String bucket, Collection<String> keys) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT k FROM unnest(?) AS k WHERE NOT EXISTS (SELECT 1 FROM files f "
                     + "WHERE f.s3_bucket = ? AND f.s3_key = k)")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.setString(2, bucket);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Checking object references failed", e);
        }
    }

    /** Of the keys, those no files row and no attempt in flight names: safe to delete. */
    List<String> unwanted(String bucket, Collection<String> keys) {
        try (Connection c = dataSource.getConnection()) {
            List<String> wanted = wanted(c, bucket, keys);
            return keys.stream().filter(k -> !wanted.contains(k)).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("Checking object references failed", e);
        }
    }

    /** Forgets attempts older than {@code age}: no request runs that long, so they crashed. */
    int forgetOlderThan(Duration age) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM ingest_pending_objects WHERE created_at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, age.toMillis() / 1000.0);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Forgetting old attempts failed", e);
        }
    }

    private static List<String> wanted(Connection c, String bucket, Collection<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT k FROM unnest(?) AS k WHERE EXISTS (SELECT 1 FROM files f WHERE f.s3_bucket = ? "
                + "AND f.s3_key = k) OR EXISTS (SELECT 1 FROM ingest_pending_objects p WHERE p.s3_bucket = ? AND p.s3_key = k)")) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            ps.setString(2, bucket);
            ps.setString(3, bucket);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}

package io.wharf.bma;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import jakarta.enterprise.context.ApplicationScoped;

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

    private static final String LOCK_KEYS = """
            SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(? || '/' || k, 0) AS h
            FROM unnest(?::text[]) AS k ORDER BY 1) locks""";

    private static final String REGISTER = """
            INSERT INTO ingest_pending_objects (attempt_id, s3_bucket, s3_key)
            SELECT ?, ?, k FROM unnest(?::text[]) AS k ON CONFLICT DO NOTHING""";

    private static final String FORGET = "DELETE FROM ingest_pending_objects WHERE attempt_id = ?";

    private static final String UNWANTED = """
            SELECT k FROM unnest(?::text[]) AS k
            WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.s3_bucket = ? AND f.s3_key = k)
            AND NOT EXISTS (SELECT 1 FROM ingest_pending_objects p WHERE p.s3_bucket = ? AND p.s3_key = k AND p.attempt_id IS DISTINCT FROM ?)""";

    private static final String STALE = """
            SELECT attempt_id, s3_key FROM ingest_pending_objects WHERE attempt_id IN (SELECT attempt_id
            FROM ingest_pending_objects WHERE created_at < now() - make_interval(secs => ?) GROUP BY attempt_id LIMIT ?)""";

    private final Jdbc jdbc;

    PendingObjects(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Committed on its own before the objects are written, so that any later check sees it. */
    void register(UUID attempt, String bucket, Collection<String> keys) {
        jdbc.inTransaction("registering objects in flight", c -> {
            Statements tx = Statements.on(c);
            lock(tx, bucket, keys);
            tx.update(REGISTER, ps -> {
                ps.setObject(1, attempt);
                ps.setString(2, bucket);
                ps.setArray(3, Statements.array(ps, "text", keys));
            });
            return null;
        });
    }

    /** In the transaction that inserts the files rows: they reference the objects from its commit on. */
    void committing(UUID attempt) {
        jdbc.current().update(FORGET, ps -> ps.setObject(1, attempt));
    }

    /**
     * Deletes (with {@code delete}) those of the keys that no files row and no attempt other than {@code attempt}
     * needs, then forgets the attempt; returns how many objects went. {@code attempt} may be null (the sweep of
     * objects no attempt lists). A failing delete rolls it all back, to be tried again by the sweep.
     */
    int release(UUID attempt, String bucket, Collection<String> keys, Consumer<List<String>> delete) {
        return jdbc.inTransaction("releasing objects in flight", c -> {
            Statements tx = Statements.on(c);
            lock(tx, bucket, keys);
            List<String> unwanted = tx.query(UNWANTED, ps -> {
                ps.setArray(1, Statements.array(ps, "text", keys));
                ps.setString(2, bucket);
                ps.setString(3, bucket);
                ps.setObject(4, attempt);
            }, rs -> rs.getString(1));
            if (!unwanted.isEmpty()) {
                delete.accept(unwanted);
            }
            if (attempt != null) {
                tx.update(FORGET, ps -> ps.setObject(1, attempt));
            }
            return unwanted.size();
        });
    }

    /** Attempts listed longer ago than {@code age}: no request lives that long, so they crashed. */
    List<Attempt> stale(Duration age, int limit) {
        record Listed(UUID attempt, String key) {
        }
        List<Listed> rows = jdbc.query(STALE, ps -> {
            ps.setDouble(1, age.toMillis() / 1000.0);
            ps.setInt(2, limit);
        }, rs -> new Listed(rs.getObject(1, UUID.class), rs.getString(2)));
        Map<UUID, List<String>> byAttempt = new LinkedHashMap<>();
        rows.forEach(r -> byAttempt.computeIfAbsent(r.attempt(), k -> new ArrayList<>()).add(r.key()));
        return byAttempt.entrySet().stream().map(e -> new Attempt(e.getKey(), e.getValue())).toList();
    }

    private static void lock(Statements tx, String bucket, Collection<String> keys) {
        tx.execute(LOCK_KEYS, ps -> {
            ps.setString(1, bucket);
            ps.setArray(2, Statements.array(ps, "text", keys));
        });
    }
}

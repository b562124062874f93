package io.wharf.bma;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.wharf.common.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The first answer given to each Idempotency-Key (per tenant and endpoint), kept for a TTL. The answer is
 * stored in the same transaction as the data it describes, so a replay never announces data that was
 * rolled back; two requests racing with one key cannot both store, and the loser replays or is refused.
 */
@ApplicationScoped
class IdempotencyKeys {

    record Answer(String requestSha256, int status, String body) {
    }

    private static final String FIND = """
            SELECT request_sha256, status_code, response_body FROM idempotency_keys
            WHERE tenant_id = ? AND endpoint = ? AND idem_key = ? AND created_at > now() - make_interval(secs => ?)""";

    private static final String STORE = """
            INSERT INTO idempotency_keys AS k (tenant_id, endpoint, idem_key, request_sha256, status_code, response_body)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, endpoint, idem_key) DO UPDATE
            SET request_sha256 = EXCLUDED.request_sha256, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body,
                created_at = now()
            WHERE k.created_at <= now() - make_interval(secs => ?)""";

    private static final String PURGE = """
            DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys
            WHERE created_at < now() - make_interval(secs => ?) LIMIT ?)""";

    private final Jdbc jdbc;

    IdempotencyKeys(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Answer> find(UUID tenant, String endpoint, String key, Duration ttl) {
        return jdbc.queryOne(FIND, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, endpoint);
            ps.setString(3, key);
            ps.setDouble(4, ttl.toMillis() / 1000.0);
        }, rs -> new Answer(rs.getString(1), rs.getInt(2), rs.getString(3)));
    }

    /** In the caller's transaction; false when a live answer for the key exists already (an expired one is replaced). */
    boolean store(UUID tenant, String endpoint, String key, Answer answer, Duration ttl) {
        return jdbc.current().update(STORE, ps -> {
            ps.setObject(1, tenant);
            ps.setString(2, endpoint);
            ps.setString(3, key);
            ps.setString(4, answer.requestSha256());
            ps.setInt(5, answer.status());
            ps.setString(6, answer.body());
            ps.setDouble(7, ttl.toMillis() / 1000.0);
        }) == 1;
    }

    /** Removes up to {@code limit} answers older than the TTL; returns how many. */
    int purge(Duration ttl, int limit) {
        return jdbc.update(PURGE, ps -> {
            ps.setDouble(1, ttl.toMillis() / 1000.0);
            ps.setInt(2, limit);
        });
    }
}

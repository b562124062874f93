package io.wharf.bma;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The first answer given to each Idempotency-Key (per tenant and endpoint), kept for a TTL. The answer is
 * stored in the same transaction as the data it describes, so a replay never announces data that was
 * rolled back; two requests racing with one key cannot both store, and the loser replays or is refused.
 */
@ApplicationScoped
class IdempotencyKeys {

    record Answer(String requestSha256, int status, String body) {
    }

    private final DataSource dataSource;
    private final EntityManager em;

    IdempotencyKeys(DataSource dataSource, EntityManager em) {
        this.dataSource = dataSource;
        this.em = em;
    }

    Optional<Answer> find(UUID tenant, String endpoint, String key, Duration ttl) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT request_sha256, status_code, response_body FROM idempotency_keys "
                     + "WHERE tenant_id = ? AND endpoint = ? AND idem_key = ? AND created_at > now() - make_interval(secs => ?)")) {
            ps.setObject(1, tenant);
            ps.setString(2, endpoint);
            ps.setString(3, key);
            ps.setDouble(4, ttl.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Answer(rs.getString(1), rs.getInt(2), rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading idempotency keys failed", e);
        }
    }

    /** In the caller's transaction; false when a live answer for the key exists already (an expired one is replaced). */
    boolean store(UUID tenant, String endpoint, String key, Answer answer, Duration ttl) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys AS k (tenant_id, endpoint, idem_key, request_sha256, "
                    + "status_code, response_body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, endpoint, idem_key) DO UPDATE "
                    + "SET request_sha256 = EXCLUDED.request_sha256, status_code = EXCLUDED.status_code, response_body = EXCLUDED.response_body, "
                    + "created_at = now() WHERE k.created_at <= now() - make_interval(secs => ?)")) {
                ps.setObject(1, tenant);
                ps.setString(2, endpoint);
                ps.setString(3, key);
                ps.setString(4, answer.requestSha256());
                ps.setInt(5, answer.status());
                ps.setString(6, answer.body());
                ps.setDouble(7, ttl.toMillis() / 1000.0);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Removes up to {@code limit} answers older than the TTL; returns how many. */
    int purge(Duration ttl, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys "
                     + "WHERE created_at < now() - make_interval(secs => ?) LIMIT ?)")) {
            ps.setDouble(1, ttl.toMillis() / 1000.0);
            ps.setInt(2, limit);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Purging idempotency keys failed", e);
        }
    }
}

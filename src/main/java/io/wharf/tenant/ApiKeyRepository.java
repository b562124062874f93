package io.wharf.tenant;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keys by tenant through Panache, and the per-request lookup by prefix through plain JDBC: one indexed
 * join, no ORM session, so that authentication stays cheap.
 */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    private final DataSource dataSource;

    ApiKeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record KeyRecord(UUID id, UUID tenantId, String keyHash, List<String> scopes, OffsetDateTime expiresAt,
            OffsetDateTime revokedAt, boolean tenantActive) {
    }

    public Optional<KeyRecord> findByPrefix(String prefix) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT k.id, k.tenant_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at, t.is_active
                     FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = ?""")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Array scopes = rs.getArray(4);
                return Optional.of(new KeyRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        Arrays.asList((String[]) scopes.getArray()), rs.getObject(5, OffsetDateTime.class),
                        rs.getObject(6, OffsetDateTime.class), rs.getBoolean(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("API key lookup failed", e);
        }
    }

    /** One statement for many keys; a time older than the one stored (another instance's) is not written. */
    void recordUse(List<UUID> keyIds, List<Long> epochMillis) {
        if (keyIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE api_keys k SET last_used_at = to_timestamp(u.at / 1000.0)
                     FROM unnest(?::uuid[], ?::bigint[]) AS u(id, at)
                     WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < to_timestamp(u.at / 1000.0))""")) {
            ps.setArray(1, c.createArrayOf("uuid", keyIds.toArray()));
            ps.setArray(2, c.createArrayOf("bigint", epochMillis.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Recording API key use failed", e);
        }
    }

    /** Tells every instance's key cache, when the current transaction commits. */
    public void notifyChange(String event) {
        getEntityManager().createNativeQuery("SELECT pg_notify('" + ApiKeyCache.CHANNEL + "', ?1)").setParameter(1, event).getSingleResult();
    }

    /**
     * Serialises bootstrap registration across instances until the current transaction ends, so that two
     * instances starting with the same new key register it once instead of one failing on a unique key.
     */
    public void lockBootstrap() {
        getEntityManager().createNativeQuery("SELECT CAST(pg_advisory_xact_lock(" + BOOTSTRAP_LOCK + ") AS text)").getSingleResult();
    }

    /** pg_advisory_xact_lock key of bootstrap registration ("WHARF_BK"); the migration lock uses another. */
    static final long BOOTSTRAP_LOCK = 0x5748_4152_465f_424bL;

    public boolean prefixExists(String prefix) {
        return count("prefix", prefix) > 0;
    }

    public List<ApiKey> listByTenant(UUID tenantId) {
        return list("tenantId = ?1 order by createdAt", tenantId);
    }

    public Optional<ApiKey> findForTenant(UUID tenantId, UUID keyId) {
        return find("id = ?1 and tenantId = ?2", keyId, tenantId).firstResultOptional();
    }
}

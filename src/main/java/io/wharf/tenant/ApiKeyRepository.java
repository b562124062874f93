package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.wharf.common.db.Jdbc;
import io.wharf.common.db.Statements;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keys by tenant through Panache, and the per-request lookup by prefix through plain JDBC: one indexed
 * join, no ORM session, so that authentication stays cheap.
 */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    private static final String BY_PREFIX = """
            SELECT k.id, k.tenant_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at, t.is_active
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = ?""";

    private static final String RECORD_USE = """
            UPDATE api_keys k SET last_used_at = to_timestamp(u.at / 1000.0)
            FROM unnest(?::uuid[], ?::bigint[]) AS u(id, at)
            WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < to_timestamp(u.at / 1000.0))""";

    private final Jdbc jdbc;

    ApiKeyRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public record KeyRecord(UUID id, UUID tenantId, String keyHash, List<String> scopes, OffsetDateTime expiresAt,
            OffsetDateTime revokedAt, boolean tenantActive) {
    }

    public Optional<KeyRecord> findByPrefix(String prefix) {
        return jdbc.queryOne(BY_PREFIX, ps -> ps.setString(1, prefix),
                rs -> new KeyRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getObject(5, OffsetDateTime.class),
                        rs.getObject(6, OffsetDateTime.class), rs.getBoolean(7)));
    }

    /** One statement for many keys; a time older than the one stored (another instance's) is not written. */
    void recordUse(List<UUID> keyIds, List<Long> epochMillis) {
        if (keyIds.isEmpty()) {
            return;
        }
        jdbc.update(RECORD_USE, ps -> {
            ps.setArray(1, Statements.array(ps, "uuid", keyIds));
            ps.setArray(2, Statements.array(ps, "bigint", epochMillis));
        });
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

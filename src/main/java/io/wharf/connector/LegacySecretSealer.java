package io.wharf.connector;

import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.WharfConfig;
import io.wharf.common.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Keeps the at-rest promise for connector profiles adopted from seed 003's service, which stored their
 * secrets in plain text. A migration script cannot do it (the key is not in the database), and encrypting a
 * large table must not hold start-up up, so this job starts shortly after start-up, in the background.
 *
 * <p>Each batch is its own transaction and takes its rows with {@code FOR UPDATE SKIP LOCKED}: a crash loses at
 * most one uncommitted batch, which the next start finds again (rows are chosen by what they still hold, not by
 * a stored position), and two instances share the work instead of waiting on each other. A row locked by a
 * request is left to it, as every write through Wharf encrypts. The version is not changed: clients see the
 * same masked document, and their If-Match stays valid. Once a pass finds nothing left, the job stops.
 */
@ApplicationScoped
public class LegacySecretSealer {

    private static final Logger LOG = Logger.getLogger(LegacySecretSealer.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final EntityManager em;
    private final SecretCipher cipher;
    private final AuditService audit;
    private final ObjectMapper mapper;
    private final int batchSize;
    private volatile boolean done;

    LegacySecretSealer(EntityManager em, SecretCipher cipher, AuditService audit, ObjectMapper mapper, WharfConfig config) {
        this.em = em;
        this.cipher = cipher;
        this.audit = audit;
        this.mapper = mapper;
        this.batchSize = Math.max(1, config.legacySecrets().batchSize());
    }

    @Scheduled(identity = "encrypt-legacy-connector-secrets", every = "{wharf.legacy-secrets.retry-every}",
            delayed = "{wharf.legacy-secrets.start-delay}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (done) {
            return;
        }
        long started = System.nanoTime();
        long left = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM connector_profiles WHERE " + LegacySecrets.PLAIN_SQL).getSingleResult()).longValue());
        if (left > 0) {
            LOG.infof("Encrypting the secrets of %d legacy connector profiles stored in plain text", left);
            long total = 0;
            Batch batch = new Batch(new UUID(0, 0), "", 0, 0);
            long lastLog = started;
            while (true) {
                Batch after = batch;
                batch = QuarkusTransaction.requiringNew().call(() -> sealBatch(after));
                if (batch.read() == 0) {
                    break;
                }
                total += batch.sealed();
                if (System.nanoTime() - lastLog > PROGRESS_EVERY_NANOS) {
                    LOG.infof("Encrypted the secrets of %d of %d legacy connector profiles", total, left);
                    lastLog = System.nanoTime();
                }
            }
            LOG.infof("Encrypted the secrets of %d legacy connector profiles in %d ms", total,
                    (System.nanoTime() - started) / 1_000_000);
        }
        done = true;
    }

    /** Where a batch ended: a pass walks the primary key once, so each batch reads only rows after the last. */
    record Batch(UUID tenant, String id, int read, int sealed) {
    }

    /** One batch in the caller's transaction, after the given key; returns where it ended and how many it encrypted. */
    Batch sealBatch(Batch after) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT tenant_id, id, profile_data::text FROM connector_profiles "
                + "WHERE (tenant_id, id) > (:tenant, :id) AND " + LegacySecrets.PLAIN_SQL
                + " ORDER BY tenant_id, id LIMIT :limit FOR UPDATE SKIP LOCKED")
                .setParameter("tenant", after.tenant()).setParameter("id", after.id()).setParameter("limit", batchSize).getResultList();
        int sealed = 0;
        UUID tenant = after.tenant();
        String id = after.id();
        for (Object[] row : rows) {
            tenant = (UUID) row[0];
            id = (String) row[1];
            ObjectNode data = parse((String) row[2]);
            JsonNode before = data.deepCopy();
            if (LegacySecrets.seal(data, tenant, id, cipher)) {
                em.createNativeQuery("UPDATE connector_profiles SET profile_data = CAST(:data AS jsonb) WHERE tenant_id = :tenant AND id = :id")
                        .setParameter("data", data.toString()).setParameter("tenant", tenant).setParameter("id", id).executeUpdate();
                audit.record(tenant, Actor.SYSTEM, "encrypt_secrets", "connector_profile", id, before, data);
                sealed++;
            }
        }
        return new Batch(tenant, id, rows.size(), sealed);
    }

    private ObjectNode parse(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("a connector profile's stored data is not a JSON object", e);
        }
    }
}

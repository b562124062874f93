package io.wharf.connector;

import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.crypto.SecretCipher;
import io.wharf.common.work.BackgroundJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * Keeps the at-rest promise for connector profiles adopted from seed 003's service, which stored their
 * secrets in plain text. A migration script cannot do it (the key is not in the database), and encrypting a
 * large table must not hold start-up up, so this job starts shortly after start-up, in the background.
 *
 * <p>The reference for a background job ({@link BackgroundJob}): each batch is its own transaction and takes
 * its rows with {@code FOR UPDATE SKIP LOCKED}, so a crash or a stop loses at most one uncommitted batch, which
 * the next start finds again (rows are chosen by what they still hold, not by a stored position), and two
 * instances share the work instead of waiting on each other. A row locked by a request is left to it, as
 * every write through Wharf encrypts. The version is not changed: clients see the same masked document, and
 * their If-Match stays valid. Once a pass finds nothing left, the job's trigger is paused for good.
 */
@ApplicationScoped
public class LegacySecretSealer {

    static final String IDENTITY = "encrypt-legacy-connector-secrets";
    private static final Logger LOG = Logger.getLogger(LegacySecretSealer.class);
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final EntityManager em;
    private final SecretCipher cipher;
    private final AuditService audit;
    private final ObjectMapper mapper;
    private final Scheduler scheduler;
    private final BackgroundJob job;

    LegacySecretSealer(EntityManager em, SecretCipher cipher, AuditService audit, ObjectMapper mapper, Scheduler scheduler,
            LegacySecretsConfig config) {
        this.em = em;
        this.cipher = cipher;
        this.audit = audit;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.job = new BackgroundJob(IDENTITY, config);
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.legacy-secrets.retry-every}", delayed = "{wharf.legacy-secrets.start-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        job.run(this::pass);
    }

    void stop(@Observes ShutdownEvent event) {
        job.stop();
    }

    private void pass() {
        long left = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM connector_profiles WHERE " + LegacySecrets.PLAIN_SQL).getSingleResult()).longValue());
        if (left > 0) {
            LOG.infof("Encrypting the secrets of %d legacy connector profiles stored in plain text", left);
            Progress progress = new Progress(left);
            boolean complete = job.drain(progress::next);
            LOG.infof("%s the secrets of %d legacy connector profiles in %d ms", complete ? "Encrypted" : "Stopping; encrypted",
                    progress.sealed, (System.nanoTime() - progress.started) / 1_000_000);
            if (!complete) {
                return;
            }
        }
        scheduler.pause(IDENTITY);
    }

    /** Where a pass is and what it did; logged now and then, as a large table takes a while. */
    private final class Progress {
        private final long left;
        private final long started = System.nanoTime();
        private long loggedAt = started;
        private long sealed;
        private Batch last = new Batch(new UUID(0, 0), "", 0, 0);

        Progress(long left) {
            this.left = left;
        }

        int next(int limit) {
            last = sealBatch(last, limit);
            sealed += last.sealed();
            if (System.nanoTime() - loggedAt > PROGRESS_EVERY_NANOS) {
                LOG.infof("Encrypted the secrets of %d of %d legacy connector profiles", sealed, left);
                loggedAt = System.nanoTime();
            }
            return last.read();
        }
    }

    /** Where a batch ended: a pass walks the primary key once, so each batch reads only rows after the last. */
    record Batch(UUID tenant, String id, int read, int sealed) {
    }

    /** One batch in the caller's transaction, after the given key; returns where it ended and how many it encrypted. */
    Batch sealBatch(Batch after, int batchSize) {
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

package io.wharf.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.work.BackgroundJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * api_keys.last_used_at is for people, not for security, so a request must not wait for it nor cost a write:
 * it only notes the time in memory, and a scheduled flush writes every key noted since the last one, one row
 * update per key however often it was used, in sorted batches (two instances flushing the same keys lock rows
 * in the same order, so they cannot deadlock). Memory is bounded by the number of keys noted, and shutdown
 * writes what is still noted. A flush that fails puts its uses back for the next one.
 */
@ApplicationScoped
public class KeyUseRecorder {

    static final String IDENTITY = "flush-api-key-use";
    private static final Logger LOG = Logger.getLogger(KeyUseRecorder.class);
    /** A key used again within this many milliseconds is not noted again: the hot path stays a map read. */
    private static final long RESOLUTION_MILLIS = 1000;

    private final ApiKeyRepository keys;
    private final BackgroundJob job;
    private final AuthConfig.KeyUse config;
    /** Key id to the epoch milliseconds of its latest use not yet written. */
    private final Map<UUID, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong notNoted = new AtomicLong();

    KeyUseRecorder(ApiKeyRepository keys, AuthConfig auth) {
        this.keys = keys;
        this.config = auth.keyUse();
        this.job = new BackgroundJob(IDENTITY, config);
    }

    /** Notes that the key was used now; never blocks on the database. */
    void used(UUID keyId) {
        if (!config.enabled()) {
            return;
        }
        long now = System.currentTimeMillis();
        Long noted = pending.get(keyId);
        if (noted != null && now - noted < RESOLUTION_MILLIS) {
            return;
        }
        if (noted == null && pending.size() >= config.maxPending()) {
            notNoted.incrementAndGet();
            return;
        }
        pending.merge(keyId, now, Math::max);
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.auth.key-use.flush-every}", delayed = "{wharf.auth.key-use.flush-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledFlush() {
        job.run(this::flush);
    }

    void stop(@Observes ShutdownEvent event) {
        job.stop();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("API key use: the last uses could not be written at shutdown: %s", e.getMessage());
        }
    }

    /**
     * Writes the uses noted when it starts (uses noted meanwhile wait for the next flush, so a busy key is not
     * written over and over); returns how many keys it wrote.
     */
    int flush() {
        List<UUID> ids = new ArrayList<>(pending.keySet());
        ids.sort(null);
        int written = 0;
        for (int from = 0; from < ids.size(); from += job.batchSize()) {
            List<UUID> batchIds = new ArrayList<>();
            List<Long> batchTimes = new ArrayList<>();
            for (UUID id : ids.subList(from, Math.min(ids.size(), from + job.batchSize()))) {
                Long at = pending.remove(id);
                if (at != null) {
                    batchIds.add(id);
                    batchTimes.add(at);
                }
            }
            try {
                keys.recordUse(batchIds, batchTimes);
            } catch (RuntimeException e) {
                for (int i = 0; i < batchIds.size(); i++) {
                    pending.merge(batchIds.get(i), batchTimes.get(i), Math::max);
                }
                throw e;
            }
            written += batchIds.size();
        }
        long missed = notNoted.getAndSet(0);
        if (missed > 0) {
            LOG.warnf("API key use: %d uses of keys beyond wharf.auth.key-use.max-pending=%d were not recorded", missed,
                    config.maxPending());
        }
        return written;
    }
}

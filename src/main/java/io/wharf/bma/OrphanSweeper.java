package io.wharf.bma;

import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.work.BackgroundJob;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Removes objects under the ingestion prefix that nothing needs: written by a request that crashed between
 * its upload and its commit. An object goes only when no files row references it and no attempt in flight
 * lists it, decided and deleted under the key's lock ({@link PendingObjects}), and only once it is older than
 * {@code min-age}. Deleting twice is harmless, so instances may sweep at the same time. Idempotency answers
 * past their TTL are purged in the same pass.
 */
@ApplicationScoped
public class OrphanSweeper {

    static final String IDENTITY = "sweep-orphan-ingest-objects";
    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);

    private final ObjectStore store;
    private final PendingObjects pending;
    private final IdempotencyKeys keys;
    private final BmaConfig config;
    private final BackgroundJob job;

    OrphanSweeper(ObjectStore store, PendingObjects pending, IdempotencyKeys keys, BmaConfig config) {
        this.store = store;
        this.pending = pending;
        this.keys = keys;
        this.config = config;
        this.job = new BackgroundJob(IDENTITY, this.config.orphanSweep());
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.bma.orphan-sweep.every}", delayed = "{wharf.bma.orphan-sweep.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        job.run(this::sweep);
    }

    void stop(@Observes ShutdownEvent event) {
        job.stop();
    }

    /**
     * One pass; returns how many objects it removed. First the attempts that crashed (listed longer ago than
     * min-age): what they wrote and nothing else needs. Then a listing of the prefix, for objects that no
     * attempt lists any more (a cleanup that failed half-way): those older than min-age that nothing needs.
     */
    int sweep() {
        Instant cutoff = Instant.now().minus(config.orphanSweep().minAge());
        int[] removed = { 0 };
        job.drainOutsideTransactions(limit -> {
            List<PendingObjects.Attempt> stale = pending.stale(config.orphanSweep().minAge(), Math.max(1, limit / 10));
            for (PendingObjects.Attempt a : stale) {
                removed[0] += pending.release(a.id(), store.bucket(), a.keys(), store::delete);
            }
            return stale.size();
        });
        String[] continuation = { null };
        job.drainOutsideTransactions(limit -> {
            ObjectStore.Page page = store.list(config.objectPrefix() + "/", continuation[0], limit);
            List<String> old = page.objects().stream().filter(o -> o.lastModified().isBefore(cutoff)).map(ObjectStore.Listed::key).toList();
            if (!old.isEmpty()) {
                removed[0] += pending.release(null, store.bucket(), old, store::delete);
            }
            continuation[0] = page.next();
            return page.next() == null ? 0 : page.objects().size();
        });
        int purged;
        do {
            purged = keys.purge(config.idempotencyTtl(), 1000);
        } while (purged == 1000);
        if (removed[0] > 0) {
            LOG.infof("Removed %d ingestion objects that no file references", removed[0]);
        }
        return removed[0];
    }
}

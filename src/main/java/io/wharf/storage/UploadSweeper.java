package io.wharf.storage;

import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.WharfConfig;
import io.wharf.common.work.BackgroundJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Removes uploads past their expires_at, object first, then row: a row without its object would promise a
 * file that is gone, an object without its row is found again by the next pass. Rows go only a grace
 * period after expiring, and a transaction accepts an upload only before it expires and clears expires_at
 * in the same commit, so no upload in use can be swept. Several instances may sweep at once: deleting an
 * object or a row twice is harmless, and the row delete checks the expiry again.
 */
@ApplicationScoped
public class UploadSweeper {

    static final String IDENTITY = "sweep-expired-uploads";
    private static final Logger LOG = Logger.getLogger(UploadSweeper.class);

    private final UploadRepository uploads;
    private final ObjectStore store;
    private final WharfConfig.Uploads.Sweep config;
    private final BackgroundJob job;

    UploadSweeper(UploadRepository uploads, ObjectStore store, WharfConfig config) {
        this.uploads = uploads;
        this.store = store;
        this.config = config.uploads().sweep();
        this.job = new BackgroundJob(IDENTITY, this.config);
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.uploads.sweep.every}", delayed = "{wharf.uploads.sweep.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        job.run(this::sweep);
    }

    void stop(@Observes ShutdownEvent event) {
        job.stop();
    }

    /** One pass until nothing expired is left; returns how many uploads it removed. */
    int sweep() {
        int[] removed = { 0 };
        job.drainOutsideTransactions(limit -> {
            List<UploadRepository.Expired> batch = uploads.expired(store.bucket(), config.grace(), limit);
            if (batch.isEmpty()) {
                return 0;
            }
            store.delete(batch.stream().map(UploadRepository.Expired::s3Key).toList());
            List<UUID> ids = batch.stream().map(UploadRepository.Expired::id).toList();
            int deleted = QuarkusTransaction.requiringNew().call(() -> uploads.deleteExpired(ids, config.grace()));
            removed[0] += deleted;
            return deleted; // rows that could not go (none, normally) end the pass instead of being read again
        });
        if (removed[0] > 0) {
            LOG.infof("Removed %d expired uploads", removed[0]);
        }
        return removed[0];
    }
}

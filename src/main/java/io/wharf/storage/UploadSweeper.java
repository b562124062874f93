package io.wharf.storage;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.work.BackgroundJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Removes the upload API's uploads past their expires_at, objects first (the object and the bytes staged for
 * it), then row: a row without its object would promise a file that is gone, an object without its row is found
 * again by the next pass. Only rows POST /api/uploads created are considered (V19's upload_origin): rows adopted
 * from seed 001's application or written by the migration keep their objects whatever their expires_at says.
 * An upload whose object something else names after all (a files row, a migration job, an S3 column or array of
 * seed 001's tables) is made permanent instead. Rows go only a grace period after expiring, and a transaction
 * accepts an upload only before it expires and clears expires_at in the same commit, so no upload in use can be
 * swept. Bytes PUT to the staging key of an upload that is no longer pending (sent again after completion,
 * with the still valid URL) are removed too. Several instances may sweep at once: deleting an object or a row
 * twice is harmless, and the row delete checks the expiry again.
 */
@ApplicationScoped
public class UploadSweeper {

    static final String IDENTITY = "sweep-expired-uploads";
    private static final Logger LOG = Logger.getLogger(UploadSweeper.class);

    private final UploadRepository uploads;
    private final ObjectReferences references;
    private final ObjectStore store;
    private final UploadsConfig.Sweep config;
    private final BackgroundJob job;

    UploadSweeper(UploadRepository uploads, ObjectReferences references, ObjectStore store, UploadsConfig config) {
        this.uploads = uploads;
        this.references = references;
        this.store = store;
        this.config = config.sweep();
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

    /** One pass until nothing expired is left, then the staged leftovers; returns how many uploads it removed. */
    int sweep() {
        int[] removed = { 0 };
        job.drainOutsideTransactions(limit -> {
            List<UploadRepository.Expired> batch = uploads.expired(store.bucket(), config.grace(), limit);
            if (batch.isEmpty()) {
                return 0;
            }
            Set<String> named = references.named(store.bucket(), batch.stream().map(UploadRepository.Expired::s3Key).toList(), false);
            List<UploadRepository.Expired> kept = batch.stream().filter(e -> named.contains(e.s3Key())).toList();
            if (!kept.isEmpty()) {
                LOG.warnf("%d expired uploads are named elsewhere (a files row, a migration job or an S3 column); they are kept for good",
                        kept.size());
                QuarkusTransaction.requiringNew().run(() -> uploads.keep(kept.stream().map(UploadRepository.Expired::id).toList()));
            }
            List<UploadRepository.Expired> gone = batch.stream().filter(e -> !named.contains(e.s3Key())).toList();
            store.delete(gone.stream().flatMap(e -> Stream.concat(Stream.of(e.s3Key(), e.stagingKey()),
                    copies(e).stream())).toList());
            List<UUID> ids = gone.stream().map(UploadRepository.Expired::id).toList();
            int deleted = ids.isEmpty() ? 0 : QuarkusTransaction.requiringNew().call(() -> uploads.deleteExpired(ids, config.grace()));
            removed[0] += deleted;
            return deleted + kept.size(); // rows that could not go (none, normally) end the pass instead of being read again
        });
        if (removed[0] > 0) {
            LOG.infof("Removed %d expired uploads", removed[0]);
        }
        sweepStaged();
        return removed[0];
    }

    /**
     * Every object a completion of this upload wrote ({@code <folder>/<id>-<hash>.<ext>}): besides the recorded one,
     * a completion that lost a race deletes its own, but one that crashed between its copy and its commit could not.
     * Only completions write under the upload's id, and nothing may refer to a key its row does not record.
     */
    private List<String> copies(UploadRepository.Expired e) {
        int slash = e.s3Key().lastIndexOf('/');
        if (!e.s3Key().startsWith("uploads/") || slash < 0) {
            return List.of();
        }
        return store.list(e.s3Key().substring(0, slash + 1) + e.id(), null, 100).objects().stream().map(ObjectStore.Listed::key).toList();
    }

    /** Staged bytes older than the grace whose upload is no longer pending (completed, or gone). */
    private void sweepStaged() {
        Instant before = Instant.now().minus(config.grace());
        String continuation = null;
        do {
            ObjectStore.Page page = store.list(UploadRepository.STAGING + "/", continuation, Math.max(1, config.batchSize()));
            Map<UUID, String> old = new HashMap<>();
            for (ObjectStore.Listed o : page.objects()) {
                UUID id = uploadId(o.key());
                if (id != null && o.lastModified().isBefore(before)) {
                    old.put(id, o.key());
                }
            }
            if (!old.isEmpty()) {
                Set<UUID> pending = uploads.pending(old.keySet());
                List<String> leftovers = old.entrySet().stream().filter(e -> !pending.contains(e.getKey())).map(Map.Entry::getValue).toList();
                store.delete(leftovers);
            }
            continuation = page.next();
        } while (continuation != null);
    }

    /** {@code staging/<tenant>/<upload id>.<ext>}'s upload id; null for any other key. */
    private static UUID uploadId(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        try {
            return UUID.fromString(dot < 0 ? name : name.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

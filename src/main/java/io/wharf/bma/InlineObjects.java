package io.wharf.bma;

import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The objects a request writes (inline images) or relies on without a files row to protect them yet (URLs of
 * ingestion objects), between its checks and its commit. Each attempt first lists their keys (committed),
 * then writes the inline ones; its transaction removes the list as the files rows take over. A failed attempt
 * deletes what nothing else needs, under {@link PendingObjects}' key locks, so an object another request is
 * about to reference is never lost; whatever a crash leaves is removed by {@link OrphanSweeper}.
 */
@ApplicationScoped
class InlineObjects {

    private static final Logger LOG = Logger.getLogger(InlineObjects.class);

    /** The images of one request that need protecting; empty when it has none. */
    record Attempt(UUID id, List<StoredImage> images) {
        List<String> keys() {
            return images.stream().map(StoredImage::s3Key).toList();
        }
    }

    private final ObjectStore store;
    private final PendingObjects pending;

    private final S3Calls calls;

    InlineObjects(@Identifier(IngestionS3.INGESTION) ObjectStore store, PendingObjects pending, S3Calls calls) {
        this.store = store;
        this.pending = pending;
        this.calls = calls;
    }

    /** Lists, then writes every inline image, in parallel under the request's deadline; network I/O, outside any transaction. */
    Attempt write(List<StoredImage> images, S3Calls.Deadline deadline) {
        Attempt attempt = new Attempt(UUID.randomUUID(), images.stream().filter(i -> i.inline() != null || i.protect()).toList());
        if (attempt.images().isEmpty()) {
            return attempt;
        }
        pending.register(attempt.id(), store.bucket(), attempt.keys());
        try {
            calls.each(attempt.images().stream().filter(i -> i.inline() != null).toList(), deadline, i -> {
                store.put(i.s3Key(), i.inline().bytes(), i.contentType(), i.inline().sha256Base64(), deadline.left());
                return Boolean.TRUE;
            });
        } catch (RuntimeException e) {
            abandon(attempt);
            throw e;
        }
        return attempt;
    }

    /** In the transaction that inserts the files rows. */
    void committing(Attempt attempt) {
        if (!attempt.images().isEmpty()) {
            pending.committing(attempt.id());
        }
    }

    /** After the attempt's transaction failed or stored nothing; never throws, so the original failure is what the client hears. */
    void abandon(Attempt attempt) {
        if (attempt.images().isEmpty()) {
            return;
        }
        try {
            pending.release(attempt.id(), store.bucket(), attempt.keys(), store::delete);
        } catch (RuntimeException e) {
            LOG.warnf("Could not clean up the objects of a failed ingestion (%s); the orphan sweep will remove them", e.toString());
        }
    }
}

package io.wharf.bma;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The objects of inline images, written before their rows commit. Each attempt first lists its keys in
 * ingest_pending_objects (committed), then writes the objects; its transaction removes the list when the
 * files rows take over. A failed attempt keeps what a stored files row references, deletes the rest, then
 * forgets its list and writes again whatever another attempt still lists: that one may have written the same
 * key (same tenant, transaction and bytes) just before the delete, and must find its object when it commits.
 * Whatever a crash leaves is removed by {@link OrphanSweeper}.
 */
@ApplicationScoped
class InlineObjects {

    private static final Logger LOG = Logger.getLogger(InlineObjects.class);

    /** The inline images of one request; empty when it has none. */
    record Attempt(UUID id, List<StoredImage> images) {
        List<String> keys() {
            return images.stream().map(StoredImage::s3Key).toList();
        }
    }

    private final ObjectStore store;
    private final PendingObjects pending;

    InlineObjects(ObjectStore store, PendingObjects pending) {
        this.store = store;
        this.pending = pending;
    }

    /** Lists, then writes every inline image; network I/O, outside any transaction. */
    Attempt write(List<StoredImage> images) {
        Attempt attempt = new Attempt(UUID.randomUUID(), images.stream().filter(i -> i.inline() != null).toList());
        if (attempt.images().isEmpty()) {
            return attempt;
        }
        pending.register(attempt.id(), store.bucket(), attempt.keys());
        try {
            for (StoredImage i : attempt.images()) {
                put(i);
            }
        } catch (RuntimeException e) {
            abandon(attempt);
            throw e;
        }
        return attempt;
    }

    /** In the transaction that inserts the files rows: they reference the objects from its commit on. */
    void committing(Attempt attempt) {
        if (!attempt.images().isEmpty()) {
            pending.release(attempt.id());
        }
    }

    /** After the attempt's transaction failed or stored nothing; never throws, so the original failure is what the client hears. */
    void abandon(Attempt attempt) {
        if (attempt.images().isEmpty()) {
            return;
        }
        try {
            Set<String> keys = new HashSet<>(pending.unwantedByFiles(store.bucket(), attempt.keys()));
            store.delete(keys);
            List<String> again = pending.abandon(attempt.id(), store.bucket(), keys);
            attempt.images().stream().filter(i -> again.contains(i.s3Key())).forEach(this::put);
        } catch (RuntimeException e) {
            LOG.warnf("Could not clean up the inline objects of a failed ingestion (%s); the orphan sweep will remove them", e.toString());
        }
    }

    private void put(StoredImage i) {
        store.put(i.s3Key(), i.inline().bytes(), i.contentType(), i.inline().sha256Base64());
    }
}

package io.wharf.copy.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.work.BackgroundJob;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.queue.JobRepository;
import io.wharf.storage.ObjectReferences;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Removes what copies leave under the migration's key prefix: multipart uploads never completed nor aborted (a
 * worker killed mid-copy) and objects that no job recorded (an attempt whose lease was lost, or whose outcome
 * could not be recorded, before its worker could delete it). Only what is older than the grace period goes, and
 * never the key of a claim whose lease still runs (a copy in flight, or its outcome waiting to be recorded), nor
 * an object that a job, a user_uploads or files row, or an S3 column names. Several instances may sweep at
 * once: aborting or deleting twice is harmless. The bucket's own lifecycle rule (AbortIncompleteMultipartUpload)
 * does the first half on AWS too; nothing there can tell a recorded object from a leftover.
 */
@ApplicationScoped
public class LeftoverSweeper {

    static final String IDENTITY = "sweep-copy-leftovers";
    private static final Logger LOG = Logger.getLogger(LeftoverSweeper.class);

    private final ObjectStore store;
    private final ObjectReferences references;
    private final JobRepository jobs;
    private final CopyConfig.Leftovers config;
    private final String prefix;
    private final BackgroundJob job;

    LeftoverSweeper(ObjectStore store, ObjectReferences references, JobRepository jobs, CopyConfig config) {
        this.store = store;
        this.references = references;
        this.jobs = jobs;
        this.config = config.leftovers();
        this.prefix = config.keyPrefix() + "/";
        this.job = new BackgroundJob(IDENTITY, this.config);
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.copy.leftovers.every}", delayed = "{wharf.copy.leftovers.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        job.run(() -> sweep(prefix, Instant.now().minus(config.grace())));
    }

    void stop(@Observes ShutdownEvent event) {
        job.stop();
    }

    /** What one pass removed. */
    record Swept(int uploads, int objects) {
    }

    /** One pass over {@code under} (within the key prefix), for what was started or written before {@code before}. */
    Swept sweep(String under, Instant before) {
        int aborted = 0;
        ObjectStore.Unfinished after = null;
        do {
            ObjectStore.UnfinishedPage page = store.unfinished(under, after);
            List<ObjectStore.Unfinished> old = page.uploads().stream().filter(u -> u.initiated().isBefore(before)).toList();
            Set<String> live = live(old.stream().map(ObjectStore.Unfinished::key).toList(), false);
            for (ObjectStore.Unfinished u : old) {
                if (!live.contains(u.key())) {
                    store.abort(u);
                    aborted++;
                }
            }
            after = page.next();
        } while (after != null);
        int deleted = 0;
        String continuation = null;
        do {
            ObjectStore.Page page = store.list(under, continuation, Math.max(1, config.batchSize()));
            List<String> old = page.objects().stream().filter(o -> o.lastModified().isBefore(before)).map(ObjectStore.Listed::key).toList();
            Set<String> keep = live(old, true);
            List<String> gone = old.stream().filter(k -> !keep.contains(k)).toList();
            store.delete(gone);
            deleted += gone.size();
            continuation = page.next();
        } while (continuation != null);
        if (aborted + deleted > 0) {
            LOG.infof("Removed %d unfinished uploads and %d objects that no migration job recorded", aborted, deleted);
        }
        return new Swept(aborted, deleted);
    }

    /**
     * The keys to leave alone: of a claim whose lease runs, recorded by their job, or (objects only, when their
     * job does not record them) named anywhere else.
     */
    private Set<String> live(List<String> keys, boolean objects) {
        Map<UUID, JobRepository.KeyState> states = jobs.keyStates(keys.stream().map(k -> part(k, 0)).filter(Objects::nonNull).toList());
        Set<String> keep = new HashSet<>();
        List<String> unrecorded = new ArrayList<>();
        for (String k : keys) {
            JobRepository.KeyState s = states.get(part(k, 0));
            if (s != null && (k.equals(s.recordedKey()) || (s.liveToken() != null && s.liveToken().equals(part(k, 1))))) {
                keep.add(k);
            } else {
                unrecorded.add(k);
            }
        }
        if (objects) {
            keep.addAll(references.named(store.bucket(), unrecorded, true));
        }
        return keep;
    }

    /** {@code .../<job id>-<claim token>.<ext>}: the job id (0) or the token (1), null when the key has none. */
    static UUID part(String key, int which) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        int from = which == 0 ? 0 : 37;
        if (name.length() < from + 36 || (which == 1 && name.charAt(36) != '-')) {
            return null;
        }
        try {
            return UUID.fromString(name.substring(from, from + 36));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.wharf.copy.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import io.wharf.copy.Job;
import io.wharf.copy.queue.JobRepository;

/**
 * Jobs a worker hands back to the queue untried, their attempt not counted: at once (pause, shutdown, a copy
 * that never started), or due later (their origin is busy or takes no connection, S3 is down). They are
 * released in a few statements (one per delay) by the completers, between their batches.
 */
final class GiveBack {

    private record Later(Job job, Duration dueIn) {
    }

    private final ConcurrentLinkedQueue<Job> now = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Later> later = new ConcurrentLinkedQueue<>();

    void now(Job job) {
        now.add(job);
    }

    void later(Job job, Duration dueIn) {
        later.add(new Later(job, dueIn));
    }

    /** Releases what was handed back so far; {@code released} learns the jobs (given back or not: the lease is no longer held). */
    void release(JobRepository queue, String owner, Consumer<List<Job>> released) {
        Map<Long, List<Job>> byDelay = new TreeMap<>();
        for (Job j = now.poll(); j != null; j = now.poll()) {
            byDelay.computeIfAbsent(0L, d -> new ArrayList<>()).add(j);
        }
        for (Later l = later.poll(); l != null; l = later.poll()) {
            // tenths of a second: jobs deferred together share a statement
            byDelay.computeIfAbsent(Math.max(0, l.dueIn().toMillis() / 100), d -> new ArrayList<>()).add(l.job());
        }
        RuntimeException failed = null;
        for (Map.Entry<Long, List<Job>> e : byDelay.entrySet()) {
            try {
                queue.release(owner, e.getValue(), Duration.ofMillis(e.getKey() * 100));
            } catch (RuntimeException x) { // not released: their leases expire instead
                failed = failed == null ? x : failed;
            } finally {
                released.accept(e.getValue());
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}

package io.wharf.copy.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.wharf.copy.Job;
import io.wharf.copy.Outcome;
import io.wharf.copy.queue.JobRepository;
import io.wharf.copy.queue.OutcomeWriter;
import io.wharf.storage.ObjectStore;

/**
 * One completer thread of a {@link CopyWorker}, as River's job completer: it is handed outcomes of copies and jobs to
 * give back, applies them many per transaction, and publishes the jobs it is done with, which the worker takes when
 * it next looks ({@link #takeDone}); it never calls the worker. A transaction costs the database about the same for
 * three outcomes as for a hundred (a handful of statements and a commit), so at the rate of small files gathering
 * longer is what keeps recording cheap; it stops gathering early when nothing more is coming soon or the worker
 * waits for it ({@link WorkerState#hurry()}).
 */
final class Completer implements Runnable {

    private static final Logger LOG = Logger.getLogger(Completer.class);
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A batch this large is applied at once. */
    private static final int FULL = 200;
    /** Outcomes applied in one transaction at most. */
    private static final int MAX_RECORD = 1000;

    private final BlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    /** Jobs recorded, dropped or given back: no longer held. */
    private final ConcurrentLinkedQueue<Job> done = new ConcurrentLinkedQueue<>();
    private final OutcomeWriter writer;
    private final JobRepository jobs;
    private final GiveBack giveBack;
    private final ObjectStore store;
    private final CopyMetrics metrics;
    private final String owner;
    private final WorkerState state;
    private final BooleanSupplier nothingMoreSoon;

    Completer(OutcomeWriter writer, JobRepository jobs, GiveBack giveBack, ObjectStore store, CopyMetrics metrics, String owner, WorkerState state,
            BooleanSupplier nothingMoreSoon) {
        this.writer = writer;
        this.jobs = jobs;
        this.giveBack = giveBack;
        this.store = store;
        this.metrics = metrics;
        this.owner = owner;
        this.state = state;
        this.nothingMoreSoon = nothingMoreSoon;
    }

    void add(Outcome o) {
        queue.add(o);
    }

    /** Hands over the jobs this completer is done with since the last call. */
    void takeDone(Consumer<Job> released) {
        for (Job j = done.poll(); j != null; j = done.poll()) {
            released.accept(j);
        }
    }

    @Override
    public void run() {
        while (!state.isStopped()) {
            try {
                Outcome first = queue.poll(100, TimeUnit.MILLISECONDS);
                List<Outcome> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    long deadline = System.nanoTime() + GATHER_NANOS;
                    while (true) {
                        queue.drainTo(batch, MAX_RECORD - batch.size());
                        if (batch.size() >= FULL || System.nanoTime() >= deadline || state.hurry() || nothingMoreSoon.getAsBoolean()) {
                            break;
                        }
                        Outcome next = queue.poll(CHECK_NANOS, TimeUnit.NANOSECONDS);
                        if (next != null) {
                            batch.add(next);
                        }
                    }
                }
                record(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Recording copy outcomes failed (%s); their leases expire and the jobs are tried again", e.toString());
            }
        }
    }

    /** At shutdown, once the thread has ended: what is still waiting. */
    void recordRest() {
        List<Outcome> rest = new ArrayList<>();
        queue.drainTo(rest);
        record(rest);
    }

    /** Releases the jobs given back, then applies one batch of outcomes; objects copied for a source that changed are deleted afterwards. */
    private void record(List<Outcome> batch) {
        try {
            giveBack.release(jobs, owner, done::addAll);
        } finally {
            state.wake();
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            OutcomeWriter.Applied applied = writer.apply(owner, batch);
            applied.leaseLost().forEach(this::dropped);
            if (!applied.orphanKeys().isEmpty()) {
                store.delete(applied.orphanKeys());
            }
            metrics.applied(batch, applied);
        } finally {
            batch.forEach(o -> done.add(o.job()));
            state.wake();
        }
    }

    private void dropped(Outcome o) {
        metrics.leaseLost();
        LOG.warnf("Dropped the result of copy job %s: its lease passed to another worker before the result was recorded", o.job().id());
    }
}

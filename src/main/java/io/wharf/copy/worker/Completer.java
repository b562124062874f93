package io.wharf.copy.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.wharf.copy.Outcome;
import io.wharf.copy.queue.OutcomeWriter;
import io.wharf.storage.ObjectStore;

/**
 * One recorder thread of a {@link CopyWorker}: it gathers the outcomes of copies and applies them many per
 * transaction. A transaction costs the database about the same for three outcomes as for a hundred (a handful
 * of statements and a commit), so at the rate of small files gathering longer is what keeps recording cheap;
 * it stops gathering early when nothing more is coming soon or the worker waits for it.
 */
final class Completer implements Runnable {

    /** What the recorder needs of its worker. */
    interface Worker {
        /** Apply what has been gathered now: shutdown, a pause, nothing left to copy, or the dispatcher waiting. */
        boolean flushNow();

        boolean stopped();

        /** Hands untried jobs back to the queue; called before each batch. */
        void releaseUnstarted();

        /** The outcomes of the batch are recorded (or dropped): they are no longer held. */
        void recorded(List<Outcome> batch);
    }

    private static final Logger LOG = Logger.getLogger(Completer.class);
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A batch this large is applied at once. */
    private static final int FULL = 200;
    /** Outcomes applied in one transaction at most. */
    private static final int MAX_RECORD = 1000;

    private final BlockingQueue<Outcome> queue = new LinkedBlockingQueue<>();
    private final OutcomeWriter completions;
    private final ObjectStore store;
    private final CopyMetrics metrics;
    private final String owner;
    private final Worker worker;

    Completer(OutcomeWriter completions, ObjectStore store, CopyMetrics metrics, String owner, Worker worker) {
        this.completions = completions;
        this.store = store;
        this.metrics = metrics;
        this.owner = owner;
        this.worker = worker;
    }

    void add(Outcome o) {
        queue.add(o);
    }

    @Override
    public void run() {
        while (!worker.stopped()) {
            try {
                Outcome first = queue.poll(100, TimeUnit.MILLISECONDS);
                List<Outcome> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    long deadline = System.nanoTime() + GATHER_NANOS;
                    while (true) {
                        queue.drainTo(batch, MAX_RECORD - batch.size());
                        if (batch.size() >= FULL || System.nanoTime() >= deadline || worker.flushNow()) {
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
                LOG.warnf("Recording migration outcomes failed (%s); their leases expire and the jobs are tried again", e.toString());
            }
        }
    }

    /** At shutdown, once the thread has ended: what is still waiting. */
    void recordRest() {
        List<Outcome> rest = new ArrayList<>();
        queue.drainTo(rest);
        record(rest);
    }

    /** Applies one batch of outcomes; objects copied for a source that changed are deleted afterwards. */
    private void record(List<Outcome> batch) {
        worker.releaseUnstarted();
        if (batch.isEmpty()) {
            return;
        }
        try {
            OutcomeWriter.Applied applied = completions.apply(owner, batch);
            applied.leaseLost().forEach(this::dropped);
            if (!applied.orphanKeys().isEmpty()) {
                store.delete(applied.orphanKeys());
            }
            metrics.applied(batch, applied);
        } finally {
            worker.recorded(batch);
        }
    }

    private void dropped(Outcome o) {
        metrics.leaseLost();
        LOG.warnf("Dropped the result of migration job %s: its lease passed to another worker before the result was recorded", o.job().id());
    }
}

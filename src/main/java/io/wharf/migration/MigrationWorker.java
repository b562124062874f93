package io.wharf.migration;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.WharfConfig;
import io.wharf.common.work.BackgroundJob;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Drains s3_migration_log. Quarkus Scheduler fires a pass every poll interval (the fallback) and a NOTIFY of
 * new jobs fires one at once; a pass claims due jobs in short transactions as copy slots free up, copies them
 * on a bounded pool outside any transaction, and applies the outcomes in batches. Leases are renewed while
 * copies run. A worker that dies leaves only leases, which expire and are taken over; shutdown stops
 * claiming, gives copies in flight the shutdown grace, then releases what is left.
 */
@ApplicationScoped
public class MigrationWorker {

    static final String IDENTITY = "drain-s3-migration";
    private static final Logger LOG = Logger.getLogger(MigrationWorker.class);

    private final JobQueue queue;
    private final Completions completions;
    private final MigrationControl control;
    private final MigrationMetrics metrics;
    private final FileCopy copy;
    private final ObjectStore store;
    private final WharfConfig.Migration config;
    private final BackgroundJob job;
    private final Throttle throttle;
    private final String owner;
    private final Semaphore slots;
    private final ExecutorService copies;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "wharf-migration-dispatch"));
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Map<UUID, Job> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Outcome> done = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<UUID> unstarted = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private volatile boolean stopping;

    MigrationWorker(JobQueue queue, Completions completions, MigrationControl control, MigrationMetrics metrics, FileCopy copy, ObjectStore store,
            WharfConfig config) {
        this.queue = queue;
        this.completions = completions;
        this.control = control;
        this.metrics = metrics;
        this.copy = copy;
        this.store = store;
        this.config = config.migration();
        this.job = new BackgroundJob(IDENTITY, this.config);
        this.throttle = new Throttle(this.config.maxFilesPerSecond(), this.config.maxBytesPerSecond().asLongValue(),
                this.config.perHostConcurrency(), () -> stopping || control.paused());
        control.onResume(this::wake);
        this.owner = hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        this.slots = new Semaphore(Math.max(1, this.config.concurrency()));
        this.copies = Executors.newFixedThreadPool(Math.max(1, this.config.concurrency()), r -> daemon(r, "wharf-migration-copy"));
    }

    public String owner() {
        return owner;
    }

    int inFlight() {
        return inFlight.size();
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.migration.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    /** Starts a pass unless one is running or queued; called by the schedule and by NOTIFY. */
    void wake() {
        if (!stopping && config.enabled() && passQueued.compareAndSet(false, true)) {
            dispatcher.execute(() -> {
                passQueued.set(false);
                try {
                    job.run(this::drain);
                } catch (RuntimeException e) {
                    LOG.warnf("A migration pass failed (%s); the next trigger tries again", e.toString());
                }
            });
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void drain() {
        while (!stopping) {
            flush();
            if (control.paused()) {
                break;
            }
            int free = slots.availablePermits();
            if (free == 0) {
                await(50);
                continue;
            }
            List<Job> claimed = queue.claim(owner, Math.min(free, job.batchSize()), config.lease(), config.maxAttempts());
            if (claimed.isEmpty()) {
                if (inFlight.isEmpty()) {
                    break;
                }
                await(100);
                continue;
            }
            for (Job j : claimed) {
                if (j.takenOver()) {
                    metrics.takeover();
                }
                if (stopping) { // claimed just as shutdown began: handed back with the rest
                    unstarted.add(j.id());
                    continue;
                }
                slots.acquireUninterruptibly();
                inFlight.put(j.id(), j);
                try {
                    copies.execute(() -> attempt(j));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    inFlight.remove(j.id());
                    slots.release();
                    unstarted.add(j.id());
                }
            }
        }
        while (!inFlight.isEmpty() && !stopping) {
            await(100);
            flush();
        }
        flush();
    }

    private void attempt(Job j) {
        try {
            if (stopping || control.paused()) {
                unstarted.add(j.id());
                return;
            }
            long started = System.nanoTime();
            Outcome o = copy.copy(j, throttle);
            if (o == null) { // paused or stopping while it waited for its turn: not started after all
                unstarted.add(j.id());
                return;
            }
            metrics.copied(o, System.nanoTime() - started);
            done.add(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unstarted.add(j.id());
        } catch (RuntimeException e) {
            done.add(new Outcome.Failed(j, "internal", "unexpected failure: " + e, false, null));
        } finally {
            inFlight.remove(j.id());
            slots.release();
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    /** Applies the outcomes gathered so far in one batch; objects copied for a source that changed are deleted afterwards. */
    private void flush() {
        List<UUID> giveBack = drainQueue(unstarted);
        if (!giveBack.isEmpty()) {
            queue.release(owner, giveBack);
        }
        List<Outcome> batch = drainQueue(done);
        if (batch.isEmpty()) {
            return;
        }
        for (int from = 0; from < batch.size(); from += 200) {
            Completions.Applied applied = completions.apply(owner, batch.subList(from, Math.min(batch.size(), from + 200)));
            applied.leaseLost().forEach(this::dropped);
            if (!applied.orphanKeys().isEmpty()) {
                store.delete(applied.orphanKeys());
            }
            metrics.applied(batch.subList(from, Math.min(batch.size(), from + 200)), applied);
        }
    }

    private void dropped(Outcome o) {
        metrics.leaseLost();
        LOG.warnf("Dropped the result of migration job %s: its lease passed to another worker before the result was recorded", o.job().id());
    }

    private static <T> List<T> drainQueue(ConcurrentLinkedQueue<T> q) {
        List<T> out = new ArrayList<>();
        for (T t = q.poll(); t != null; t = q.poll()) {
            out.add(t);
        }
        return out;
    }

    @Scheduled(every = "{wharf.migration.renew-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewLeases() {
        if (!inFlight.isEmpty()) {
            // a job done meanwhile is not renewed either; only one still in flight has really lost its lease (its
            // result will be dropped when it is recorded, as the lease is checked then)
            long lostNow = queue.renew(owner, List.copyOf(inFlight.keySet()), config.lease()).stream().filter(inFlight::containsKey).count();
            if (lostNow > 0) {
                LOG.warnf("%d migration jobs in flight lost their lease (renewals came too late); their results will be dropped", lostNow);
            }
        }
    }

    private void await(long ms) {
        synchronized (signal) {
            try {
                signal.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        wake();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            await(100);
        }
        try {
            flush();
            List<UUID> held = new ArrayList<>(inFlight.keySet());
            held.addAll(drainQueue(unstarted));
            queue.release(owner, held);
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand back migration jobs at shutdown (%s); their leases expire instead", e.toString());
        }
        job.stop();
        copies.shutdownNow();
        dispatcher.shutdownNow();
        try {
            copies.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "host";
        }
    }
}

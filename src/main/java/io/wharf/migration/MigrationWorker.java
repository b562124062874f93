package io.wharf.migration;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 * new jobs fires one at once. Three kinds of thread share the work so that none waits for another: the
 * dispatcher claims due jobs in short transactions and keeps a backlog of claimed jobs (up to one batch), the
 * copy threads (as many as the concurrency) take jobs from it and copy them outside any transaction, and the
 * recorders ({@link Recorder}) gather their outcomes and apply them in one transaction per batch (several
 * recorders, so that recording uses more than one database core; a source row always goes to the same one).
 * Leases of every job held (in the backlog, copying or waiting to be recorded) are renewed; a copy whose lease
 * could not be renewed in time (the database out of reach) stops before another worker may take the job over
 * ({@link Lease}), and one that still finishes wrote an object of its own claim that nothing records. A worker that dies
 * leaves only leases, which expire and are taken over; pause and shutdown hand the backlog back at once, and
 * shutdown gives copies in flight the shutdown grace, records what they finished and releases the rest.
 */
@ApplicationScoped
public class MigrationWorker {

    static final String IDENTITY = "drain-s3-migration";
    private static final Logger LOG = Logger.getLogger(MigrationWorker.class);
    private final JobQueue queue;
    private final MigrationControl control;
    private final MigrationMetrics metrics;
    private final FileCopy copy;
    private final WharfConfig.Migration config;
    private final BackgroundJob job;
    private final Throttle throttle;
    private final String owner;
    private final int concurrency;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "wharf-migration-dispatch"));
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger copying = new java.util.concurrent.atomic.AtomicInteger();
    /** The dispatcher waits for the recorders (it holds as many jobs as it may): they apply what they have at once. */
    private volatile boolean recordersBehind;
    /** Every job this worker holds a lease on: in the backlog, being copied, or copied and waiting to be recorded. */
    private final Map<UUID, Job> held = new ConcurrentHashMap<>();
    private final BlockingQueue<Job> backlog = new LinkedBlockingQueue<>();
    /** The recorders; a source row's jobs always go to the same one. */
    private final List<Recorder> recorders = new ArrayList<>();
    private final ConcurrentLinkedQueue<Job> unstarted = new ConcurrentLinkedQueue<>();
    private final Object signal = new Object();
    private volatile boolean stopping;
    private volatile boolean recorderStopped;

    MigrationWorker(JobQueue queue, Completions completions, MigrationControl control, MigrationMetrics metrics, FileCopy copy, ObjectStore store,
            WharfConfig config) {
        this.queue = queue;
        this.control = control;
        this.metrics = metrics;
        this.copy = copy;
        this.config = config.migration();
        this.job = new BackgroundJob(IDENTITY, this.config);
        this.throttle = new Throttle(this.config.maxFilesPerSecond(), this.config.maxBytesPerSecond().asLongValue(),
                this.config.perHostConcurrency(), () -> stopping || control.paused());
        control.onResume(this::wake);
        this.owner = hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        this.concurrency = Math.max(1, this.config.concurrency());
        Recorder.Worker self = new Recorder.Worker() {
            @Override
            public boolean flushNow() {
                return stopping || recordersBehind || control.paused() || (backlog.isEmpty() && copying.get() == 0);
            }

            @Override
            public boolean stopped() {
                return recorderStopped;
            }

            @Override
            public void releaseUnstarted() {
                MigrationWorker.this.releaseUnstarted();
            }

            @Override
            public void recorded(List<Outcome> batch) {
                batch.forEach(o -> held.remove(o.job().id()));
                signal();
            }
        };
        for (int i = 0; i < Math.max(1, this.config.recorders()); i++) {
            recorders.add(new Recorder(completions, store, metrics, owner, self));
        }
    }

    public String owner() {
        return owner;
    }

    int inFlight() {
        return held.size();
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.migration.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    /** Starts a pass unless one is running or queued; called by the schedule and by NOTIFY. */
    void wake() {
        if (!stopping && config.enabled() && passQueued.compareAndSet(false, true)) {
            startThreads();
            dispatcher.execute(() -> {
                passQueued.set(false);
                try {
                    job.run(this::drain);
                } catch (RuntimeException e) {
                    LOG.warnf("A migration pass failed (%s); the next trigger tries again", e.toString());
                }
            });
        }
        signal();
    }

    private void startThreads() {
        if (started.compareAndSet(false, true)) {
            for (int i = 0; i < concurrency; i++) {
                threads.add(daemon(this::copyLoop, "wharf-migration-copy-" + i));
            }
            for (int i = 0; i < recorders.size(); i++) {
                threads.add(daemon(recorders.get(i), "wharf-migration-record-" + i));
            }
            threads.forEach(Thread::start);
        }
    }

    /**
     * Keeps the backlog filled while there are due jobs; ends when nothing is due and nothing is held. Claims wait
     * while the recorders are behind, so that no lease is held long for a result that is only waiting its turn.
     */
    private void drain() {
        int batch = Math.max(concurrency, job.batchSize());
        int maxHeld = concurrency + 6 * batch;
        while (!stopping) {
            if (control.paused()) {
                handBack();
                break;
            }
            recordersBehind = held.size() >= maxHeld;
            if (backlog.size() > batch / 2 || recordersBehind) {
                await(50);
                continue;
            }
            List<Job> claimed = queue.claim(owner, batch - backlog.size(), config.lease(), config.renewEvery(), config.maxAttempts());
            if (claimed.isEmpty()) {
                if (held.isEmpty()) {
                    break;
                }
                await(100);
                continue;
            }
            for (Job j : claimed) {
                if (j.takenOver()) {
                    metrics.takeover();
                }
                held.put(j.id(), j);
                backlog.add(j);
            }
            if (stopping || control.paused()) { // claimed just as shutdown or a pause began: handed back with the rest
                handBack();
            }
        }
        recordersBehind = false;
    }

    /** The backlog goes back to the queue untried (pause, shutdown). */
    private void handBack() {
        List<Job> back = new ArrayList<>();
        backlog.drainTo(back);
        unstarted.addAll(back);
        signal();
    }

    private void copyLoop() {
        while (!recorderStopped) {
            Job j;
            try {
                j = backlog.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (j != null) {
                copying.incrementAndGet();
                try {
                    attempt(j);
                } finally {
                    copying.decrementAndGet();
                    signal();
                }
            }
        }
    }

    private void attempt(Job j) {
        try {
            if (stopping || control.paused() || !j.lease().valid()) {
                unstarted.add(j);
                return;
            }
            long started = System.nanoTime();
            Outcome o = copy.copy(j, throttle);
            if (o == null) { // paused, stopping or its lease gone while it waited for its turn: not started after all
                unstarted.add(j);
                return;
            }
            metrics.copied(o, System.nanoTime() - started);
            finished(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unstarted.add(j);
        } catch (RuntimeException e) {
            finished(new Outcome.Failed(j, "internal", "unexpected failure: " + e, false, null));
        }
    }

    /** Two recorders never write the same source row, so they never wait for each other's locks. */
    private void finished(Outcome o) {
        recorders.get(Math.floorMod(java.util.Objects.hashCode(o.job().recordId()), recorders.size())).add(o);
    }

    private void releaseUnstarted() {
        List<Job> giveBack = new ArrayList<>();
        for (Job j = unstarted.poll(); j != null; j = unstarted.poll()) {
            giveBack.add(j);
        }
        if (!giveBack.isEmpty()) {
            try {
                queue.release(owner, giveBack);
            } finally {
                giveBack.forEach(j -> held.remove(j.id()));
                signal();
            }
        }
    }

    @Scheduled(every = "{wharf.migration.renew-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewLeases() {
        if (!held.isEmpty()) {
            // a job recorded meanwhile is not renewed either; only one still held has really lost its lease (its
            // copy stops, and a result it still brings is dropped when it is recorded, as the token is checked then)
            long lostNow = queue.renew(owner, List.copyOf(held.values()), config.lease()).stream().filter(held::containsKey).count();
            if (lostNow > 0) {
                LOG.warnf("%d migration jobs held lost their lease (renewals came too late); their results will be dropped", lostNow);
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

    private void signal() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        handBack();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (!held.isEmpty() && started.get() && System.nanoTime() < deadline) { // copied and recorded, or handed back
            await(50);
        }
        recorderStopped = true;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            recorders.forEach(Recorder::recordRest);
            queue.release(owner, new ArrayList<>(held.values()));
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand back migration jobs at shutdown (%s); their leases expire instead", e.toString());
        }
        job.stop();
        dispatcher.shutdownNow();
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

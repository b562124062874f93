package io.wharf.copy.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.wharf.common.work.BackgroundJob;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.Job;
import io.wharf.copy.Lease;
import io.wharf.copy.Outcome;
import io.wharf.copy.fetch.Throttle;
import io.wharf.copy.queue.CopyControl;
import io.wharf.copy.queue.JobRepository;
import io.wharf.copy.queue.OutcomeWriter;
import io.wharf.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Drains s3_migration_log. Quarkus Scheduler fires a pass every poll interval (the fallback) and a NOTIFY of
 * new jobs fires one at once. Three kinds of thread share the work so that none waits for another: the
 * dispatcher claims due jobs in short transactions and keeps a backlog of claimed jobs ({@link FairBacklog}: up
 * to half a batch per owner, so that one tenant's jobs cannot fill it), the copy threads (as many as the
 * concurrency) take jobs from it fairly between owners and copy them outside any transaction ({@link Attempts}),
 * and the completers ({@link Completer}) gather their outcomes and apply them in one transaction per batch (several,
 * so that recording uses more than one database core; a source row always goes to the same one). The worker hands
 * outcomes and jobs to give back to the completers and takes from them the jobs they are done with; they never call
 * it. Leases of every job held (in the backlog, copying or waiting to be recorded) are renewed; a copy whose lease
 * could not be renewed in time stops before another worker may take the job over ({@link Lease}). A worker that
 * dies leaves only leases, which expire and are taken over; pause, shutdown and an open S3 circuit hand the backlog
 * back at once, and shutdown gives copies in flight the shutdown grace, records what they finished and releases the
 * rest. Jobs that cannot run now (their origin busy for long, or taking no connection, or S3 down) go back due
 * later with their attempt not counted ({@link GiveBack}, {@link Circuits}). The threads' lifecycle is {@link WorkerState}.
 */
@ApplicationScoped
public class CopyWorker {

    static final String IDENTITY = "drain-copy";
    private static final Logger LOG = Logger.getLogger(CopyWorker.class);
    private final JobRepository queue;
    private final CopyControl control;
    private final CopyMetrics metrics;
    private final CopyConfig config;
    private final BackgroundJob job;
    private final String owner;
    private final int concurrency;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> daemon(r, "wharf-copy-dispatch"));
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final WorkerState state = new WorkerState();
    /** The full owners of the last claim that found nothing (null: none): new jobs (a NOTIFY) clear it. */
    private volatile Set<UUID> foundOnlyFull;
    private volatile long retryAt;
    /** Every job this worker holds a lease on: in the backlog, being copied, or copied and waiting to be recorded. */
    private final Map<UUID, Job> held = new ConcurrentHashMap<>();
    private final FairBacklog backlog;
    private final Circuits circuits;
    private final Attempts attempts;
    /** A source row's jobs always go to the same completer. */
    private final List<Completer> completers = new ArrayList<>();
    private final GiveBack giveBack = new GiveBack();

    CopyWorker(JobRepository queue, OutcomeWriter writer, CopyControl control, CopyMetrics metrics, FileCopier copy, ObjectStore store,
            Circuits circuits, CopyConfig config) {
        this.queue = queue;
        this.control = control;
        this.metrics = metrics;
        this.config = config;
        this.job = new BackgroundJob(IDENTITY, config);
        Throttle throttle = new Throttle(config.maxFilesPerSecond(), config.maxBytesPerSecond().asLongValue(), config.perHostConcurrency(),
                () -> state.isStopping() || control.paused());
        control.onResume(this::wake);
        this.circuits = circuits;
        circuits.onS3Closed(this::wake);
        this.backlog = new FairBacklog(throttle, circuits);
        this.attempts = new Attempts(copy, throttle, circuits, giveBack, metrics, config,
                () -> state.isStopping() || control.paused() || circuits.s3Open(), this::finished);
        this.owner = hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
        this.concurrency = Math.max(1, config.concurrency());
        for (int i = 0; i < Math.max(1, config.recorders()); i++) {
            // nothing more is coming soon: paused, or nothing waiting or being copied
            completers.add(new Completer(writer, queue, giveBack, store, metrics, owner, state,
                    () -> control.paused() || backlog.size() == 0 && attempts.copying() == 0));
        }
    }

    public String owner() {
        return owner;
    }

    public int inFlight() {
        return held().size();
    }

    @Scheduled(identity = IDENTITY, every = "{wharf.copy.poll-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        wake();
    }

    /** Starts a pass unless one is running or queued; called by the schedule and by NOTIFY. */
    void wake() {
        foundOnlyFull = null;
        if (!state.isStopping() && config.enabled() && passQueued.compareAndSet(false, true)) {
            startThreads();
            dispatcher.execute(() -> {
                passQueued.set(false);
                try {
                    job.run(this::drain);
                } catch (RuntimeException e) {
                    LOG.warnf("A copy pass failed (%s); the next trigger tries again", e.toString());
                }
            });
        }
        state.wake();
    }

    private void startThreads() {
        if (state.start()) {
            for (int i = 0; i < concurrency; i++) {
                threads.add(daemon(() -> attempts.loop(backlog, state::isStopped, state::wake), "wharf-copy-" + i));
            }
            for (int i = 0; i < completers.size(); i++) {
                threads.add(daemon(completers.get(i), "wharf-copy-complete-" + i));
            }
            threads.forEach(Thread::start);
        }
    }

    /** The jobs held, once those the completers are done with (recorded, dropped or given back) are let go. */
    private Map<UUID, Job> held() {
        // by instance: a job given back and claimed again since is held under its new claim
        completers.forEach(c -> c.takeDone(j -> held.remove(j.id(), j)));
        return held;
    }

    /**
     * Keeps the backlog filled while there are due jobs; ends when nothing is due and nothing is held. Claims wait
     * while the completers are behind, so that no lease is held long for a result that is only waiting its turn;
     * an owner with half a batch waiting here is left out of the claims until some of it has started.
     */
    private void drain() {
        int batch = Math.max(concurrency, job.batchSize());
        int maxHeld = concurrency + 6 * batch;
        int perOwner = Math.max(1, batch / 2);
        long maxWait = config.lease().toNanos() / 2;
        while (!state.isStopping()) {
            if (control.paused() || circuits.s3Open()) {
                handBack();
                break;
            }
            backlog.waitedLongerThan(maxWait).forEach(j -> giveBack.later(j, config.backoffBase()));
            boolean behind = held().size() >= maxHeld;
            state.completersBehind(behind);
            int claimable = backlog.claimable(perOwner);
            Set<UUID> full = backlog.full(perOwner);
            // a claim that found nothing but the full owners' jobs is not tried again for a while unless that changes
            if (claimable > batch / 2 || behind || full.equals(foundOnlyFull) && System.nanoTime() < retryAt) {
                state.await(50);
                continue;
            }
            List<Job> claimed = queue.claim(owner, batch - claimable, config.lease(), config.renewEvery(), config.maxAttempts(), full);
            if (claimed.isEmpty()) {
                if (held().isEmpty()) {
                    break;
                }
                foundOnlyFull = full.isEmpty() ? null : full;
                retryAt = System.nanoTime() + 1_000_000_000L;
                state.await(100);
                continue;
            }
            foundOnlyFull = null;
            for (Job j : claimed) {
                if (j.takenOver()) {
                    metrics.takeover();
                }
                held.put(j.id(), j);
                backlog.add(j);
            }
            if (state.isStopping() || control.paused() || circuits.s3Open()) { // claimed just as shutdown, a pause or an outage began
                handBack();
            }
        }
        state.completersBehind(false);
    }

    /** The backlog goes back to the queue untried (pause, shutdown, S3 down). */
    private void handBack() {
        backlog.drain().forEach(giveBack::now);
        state.wake();
    }

    /** Two completers never write the same source row, so they never wait for each other's locks. */
    private void finished(Outcome o) {
        completers.get(Math.floorMod(Objects.hashCode(o.job().recordId()), completers.size())).add(o);
    }

    @Scheduled(every = "{wharf.copy.renew-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void renewLeases() {
        Map<UUID, Job> now = held();
        if (!now.isEmpty()) {
            // a job recorded meanwhile is not renewed either; only one still held has really lost its lease (its
            // copy stops, and a result it still brings is dropped when it is recorded, as the token is checked then)
            long lostNow = queue.renew(owner, List.copyOf(now.values()), config.lease()).stream().filter(held()::containsKey).count();
            if (lostNow > 0) {
                LOG.warnf("%d copy jobs held lost their lease (renewals came too late); their results will be dropped", lostNow);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        state.stopping();
        handBack();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (!held().isEmpty() && state.isStarted() && System.nanoTime() < deadline) { // copied and recorded, or handed back
            state.await(50);
        }
        state.stopped();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            completers.forEach(Completer::recordRest);
            queue.release(owner, new ArrayList<>(held().values()), Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.warnf("Could not hand back copy jobs at shutdown (%s); their leases expire instead", e.toString());
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
        } catch (UnknownHostException e) {
            return "host";
        }
    }
}

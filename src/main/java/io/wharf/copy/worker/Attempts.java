package io.wharf.copy.worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.wharf.copy.Backoff;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.CopyFailure;
import io.wharf.copy.Job;
import io.wharf.copy.Outcome;
import io.wharf.copy.fetch.Throttle;

/**
 * One attempt at a job on a copy thread, and what its outcome means for the worker: a result to record, or an
 * outage rather than the file's fault (the origin takes no connection, S3 cannot be reached or answers 5xx or
 * SlowDown), which feeds the {@link Circuits} and hands the job back due later with its attempt not counted.
 */
final class Attempts {

    private final FileCopier copy;
    private final Throttle throttle;
    private final Circuits circuits;
    private final GiveBack giveBack;
    private final CopyMetrics metrics;
    private final Duration backoffBase;
    private final Backoff backoff;
    private final BooleanSupplier halted;
    private final Consumer<Outcome> finished;
    private final AtomicInteger copying = new AtomicInteger();

    Attempts(FileCopier copy, Throttle throttle, Circuits circuits, GiveBack giveBack, CopyMetrics metrics, CopyConfig config,
            BooleanSupplier halted, Consumer<Outcome> finished) {
        this.copy = copy;
        this.throttle = throttle;
        this.circuits = circuits;
        this.giveBack = giveBack;
        this.metrics = metrics;
        this.backoffBase = config.backoffBase();
        this.backoff = new Backoff(config.backoffBase(), config.backoffCap());
        this.halted = halted;
        this.finished = finished;
    }

    /** Copies running now. */
    int copying() {
        return copying.get();
    }

    /** A copy thread: takes the next job the backlog lets start and attempts it, until {@code stopped}. */
    void loop(FairBacklog backlog, BooleanSupplier stopped, Runnable signal) {
        while (!stopped.getAsBoolean()) {
            FairBacklog.Entry e;
            try {
                if (circuits.s3Open()) {
                    Thread.sleep(200);
                    e = null;
                } else {
                    e = backlog.take(200);
                }
            } catch (InterruptedException x) {
                return;
            }
            for (FairBacklog.Entry shut : backlog.takeShut()) {
                giveBack.later(shut.job(), circuits.hostRetryIn(shut.origin()));
                metrics.deferred(CopyFailure.HOST_UNREACHABLE);
            }
            if (e != null) {
                copying.incrementAndGet();
                try {
                    run(e);
                } finally {
                    backlog.done(e);
                    copying.decrementAndGet();
                    signal.run();
                }
            }
        }
    }

    private void run(FairBacklog.Entry e) {
        Job j = e.job();
        try {
            if (halted.getAsBoolean() || !j.lease().valid()) { // a lease that may already be another worker's: not started
                untried(e);
                return;
            }
            long started = System.nanoTime();
            Outcome o = copy.copy(j, throttle);
            if (o == null) { // paused, stopping or its lease gone while it waited for its turn: not started after all
                untried(e);
                return;
            }
            if (!(o instanceof Outcome.Failed f && CopyFailure.HOST_UNREACHABLE.equals(f.reason()))) {
                circuits.hostOk(e.origin()); // it took a connection, whatever came of it
            }
            if (!(o instanceof Outcome.Failed f && deferred(e, f))) {
                metrics.copied(o, System.nanoTime() - started);
                finished.accept(o);
            }
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            untried(e);
        } catch (RuntimeException x) {
            finished.accept(new Outcome.Failed(j, "internal", "unexpected failure: " + x, false, null));
        }
    }

    private void untried(FairBacklog.Entry e) {
        circuits.hostUntried(e.origin());
        giveBack.now(e.job());
    }

    /** An outage rather than the file's fault: the job goes back due later and its attempt does not count. */
    private boolean deferred(FairBacklog.Entry e, Outcome.Failed f) {
        if (CopyFailure.HOST_UNREACHABLE.equals(f.reason())) {
            circuits.hostFailed(e.origin(), f.message());
            giveBack.later(e.job(), circuits.hostRetryIn(e.origin()));
        } else if (CopyFailure.S3_UNAVAILABLE.equals(f.reason())) {
            circuits.s3Failed(f.message());
            giveBack.later(e.job(), backoffBase);
        } else if ("s3_slow_down".equals(f.reason())) {
            giveBack.later(e.job(), backoff.delay(1, null));
        } else {
            return false;
        }
        metrics.deferred(f.reason());
        return true;
    }
}

package io.wharf.copy.worker;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lifecycle of a worker's threads in one place, as db-scheduler's SchedulerState and Waiter keep theirs: started
 * once, then stopping (shutdown began: nothing new is claimed or started), then stopped (the threads end). It is also
 * where the threads wait for each other: a thread that changed something the others may be waiting for wakes them.
 * The completers read it, and nothing else of the worker.
 */
final class WorkerState {

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile boolean stopped;
    /** The dispatcher holds as many jobs as it may and waits for the completers: they apply what they have at once. */
    private volatile boolean completersBehind;
    private final Object signal = new Object();

    /** True the first time only: the caller starts the threads. */
    boolean start() {
        return started.compareAndSet(false, true);
    }

    boolean isStarted() {
        return started.get();
    }

    void stopping() {
        stopping = true;
        wake();
    }

    boolean isStopping() {
        return stopping;
    }

    /** The threads end (after the shutdown grace). */
    void stopped() {
        stopped = true;
        wake();
    }

    boolean isStopped() {
        return stopped;
    }

    void completersBehind(boolean behind) {
        completersBehind = behind;
    }

    /** Outcomes should be applied now rather than gathered further: shutdown, or the dispatcher waits for them. */
    boolean hurry() {
        return stopping || completersBehind;
    }

    /** Waits until woken, or for {@code ms} at most. */
    void await(long ms) {
        synchronized (signal) {
            try {
                signal.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}

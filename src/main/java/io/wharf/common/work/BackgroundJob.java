package io.wharf.common.work;

import java.util.function.IntUnaryOperator;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What every background job needs beside Quarkus Scheduler, kept in one place so that each job is only its
 * SQL. The scheduler fires the job ({@code concurrentExecution = SKIP}, {@code skipExecutionIf =
 * ApplicationNotRunning}), so passes on one instance never overlap; this class adds the stop the scheduler
 * does not have: on shutdown no new pass or batch starts, and the one in flight gets a grace period to
 * commit. Work is claimed inside each batch's own transaction (row locks with {@code FOR UPDATE SKIP
 * LOCKED}), so several instances share it, and a claim lives exactly as long as that transaction: a process
 * that dies or overruns its grace leaves nothing claimed, its batch rolls back and is found again.
 */
public final class BackgroundJob {

    private static final Logger LOG = Logger.getLogger(BackgroundJob.class);

    private final String name;
    private final JobConfig config;
    private int inFlight;
    private volatile boolean stopping;

    public BackgroundJob(String name, JobConfig config) {
        this.name = name;
        this.config = config;
    }

    /**
     * Runs one pass unless the job is disabled or stopping; true when it ran. A pass that throws is not
     * retried here: the scheduler logs it and the next trigger tries again.
     */
    public boolean run(Runnable pass) {
        synchronized (this) {
            if (stopping || !config.enabled()) {
                return false;
            }
            inFlight++;
        }
        try {
            pass.run();
            return true;
        } finally {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    /**
     * Runs batches, each in a new transaction, until one claims nothing (true) or the job is stopping
     * (false: the rest is left for the next start or another instance). The batch is given the configured
     * batch size and returns how many items it claimed.
     */
    public boolean drain(IntUnaryOperator batch) {
        int limit = batchSize();
        while (!stopping) {
            if (QuarkusTransaction.requiringNew().call(() -> batch.applyAsInt(limit)) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * As {@link #drain}, for batches that do network I/O: the batch runs outside any transaction and opens its
     * own short ones around the I/O (claim, then I/O, then record the outcome).
     */
    public boolean drainOutsideTransactions(IntUnaryOperator batch) {
        int limit = batchSize();
        while (!stopping) {
            if (batch.applyAsInt(limit) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The configured batch size, at least one. */
    public int batchSize() {
        return Math.max(1, config.batchSize());
    }

    /** Stops claiming and waits up to the grace period for the pass in flight; call it from a ShutdownEvent observer. */
    public void stop() {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        synchronized (this) {
            stopping = true;
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("Background job %s still running after its shutdown grace of %s; its open batch rolls back",
                            name, config.shutdownGrace());
                    return;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

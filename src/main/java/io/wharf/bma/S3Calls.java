package io.wharf.bma;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs one request's S3 calls (up to a thousand HEADs and PUTs) wharf.bma.s3-parallelism at a time, on threads
 * shared by all requests (as many as ingestion has S3 connections), all within the request's one deadline
 * (wharf.bma.s3-deadline). Each call is given the time left as its own timeout, so that when the deadline
 * passes no call of the request is still running: the caller then answers 503 and removes what was written.
 */
@ApplicationScoped
class S3Calls {

    /** When the request's S3 calls must have ended. */
    record Deadline(long nanos) {
        Duration left() {
            return Duration.ofNanos(Math.max(1_000_000L, nanos - System.nanoTime()));
        }

        boolean passed() {
            return System.nanoTime() - nanos >= 0;
        }
    }

    private final ExecutorService threads;
    private final int parallelism;
    private final Duration deadline;

    S3Calls(BmaConfig config) {
        int connections = Math.max(1, config.s3Connections());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(connections, connections, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "wharf-ingest-s3");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.threads = pool;
        this.parallelism = Math.max(1, config.s3Parallelism());
        this.deadline = config.s3Deadline();
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }

    Deadline start() {
        return new Deadline(System.nanoTime() + deadline.toNanos());
    }

    /**
     * {@code call} applied to every input, at most s3-parallelism at once, results in input order. The first
     * failure (or the deadline passing: 503) stops the calls not yet started and is thrown once those in flight
     * have ended, so that the caller can remove what they wrote.
     */
    <I, T> List<T> each(List<I> inputs, Deadline until, Function<I, T> call) {
        if (inputs.size() == 1) { // nothing to overlap: no hand-off to another thread
            try {
                return List.of(call.apply(inputs.get(0)));
            } catch (RuntimeException e) {
                throw until.passed() ? timedOut(1) : e;
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        Semaphore slots = new Semaphore(parallelism);
        List<Future<T>> futures = new ArrayList<>(inputs.size());
        RuntimeException failure = null;
        try {
            for (I input : inputs) {
                if (!slots.tryAcquire(left(until), TimeUnit.NANOSECONDS)) {
                    failure = timedOut(inputs.size());
                    break;
                }
                failure = firstFailure(futures, until, inputs.size());
                if (failure != null) {
                    slots.release();
                    break;
                }
                futures.add(threads.submit(() -> {
                    try {
                        return stop.get() ? null : call.apply(input);
                    } finally {
                        slots.release();
                    }
                }));
            }
            if (failure == null) {
                List<T> results = new ArrayList<>(inputs.size());
                for (Future<T> f : futures) {
                    results.add(f.get(left(until), TimeUnit.NANOSECONDS));
                }
                return results;
            }
        } catch (TimeoutException e) {
            failure = timedOut(inputs.size());
        } catch (ExecutionException e) {
            failure = cause(e, until, inputs.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = timedOut(inputs.size());
        }
        stop.set(true);
        // each call got the time left as its timeout: those in flight end about when the deadline passes
        for (Future<T> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                // the first failure is the one reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw failure;
    }

    private static long left(Deadline until) {
        return Math.max(0, until.nanos() - System.nanoTime());
    }

    /** The failure of a call that has ended, if any. */
    private static <T> RuntimeException firstFailure(List<Future<T>> futures, Deadline until, int calls) throws InterruptedException {
        for (Future<T> f : futures) {
            if (f.isDone()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    return cause(e, until, calls);
                }
            }
        }
        return null;
    }

    private static RuntimeException cause(ExecutionException e, Deadline until, int calls) {
        if (until.passed()) {
            return timedOut(calls);
        }
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    private static WharfException timedOut(int calls) {
        return new WharfException(ErrorCode.STORAGE_UNAVAILABLE, "File storage (S3) did not complete this request's " + calls
                + " calls in time (wharf.bma.s3-deadline); nothing was stored. Retry shortly.", Map.of(WharfException.RETRY_AFTER_SECONDS, 5));
    }
}

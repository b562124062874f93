package io.wharf.copy.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.wharf.common.net.Origin;

/**
 * What keeps the migration polite: at most so many files started and bytes read per second (token buckets,
 * 0 = unlimited), at most so many copies from one legacy origin (host and port) at once, and a pause of new
 * starts while S3 asks to slow down (SlowDown/503), doubling while it keeps asking and resetting after a
 * success. A copy takes its origin's slot before it starts and never waits for one: a job whose origin is
 * busy waits in the backlog without a thread (the worker's FairBacklog). Only origins with copies running have an
 * entry, so millions of hosts leave no state behind.
 */
public final class Throttle {

    private final Bucket files;
    private final Bucket bytes;
    private final int perHost;
    private final ConcurrentHashMap<String, Integer> hosts = new ConcurrentHashMap<>();
    private volatile long s3QuietUntil;
    private volatile long s3Backoff = 500;

    private final BooleanSupplier halted;

    public Throttle(double filesPerSecond, long bytesPerSecond, int perHost, BooleanSupplier halted) {
        this.halted = halted;
        this.files = filesPerSecond > 0 ? new Bucket(filesPerSecond) : null;
        this.bytes = bytesPerSecond > 0 ? new Bucket(bytesPerSecond) : null;
        this.perHost = Math.max(1, perHost);
    }

    /** Waits until a new copy may start (file rate, S3 back-off). */
    public void startFile() throws InterruptedException {
        long wait = s3QuietUntil - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (files != null) {
            files.take(1);
        }
    }

    /** Paused or stopping: a copy that waited for its turn must not start now. */
    public boolean halted() {
        return halted.getAsBoolean();
    }

    /** The origin (lower-case host and port) whose slots a URL's copy takes; null when it has no host. */
    public static String origin(String url) {
        Origin o = Origin.parse(url);
        return o == null ? null : o.hostAndPort();
    }

    /** Takes one of the origin's slots if one is free; null (a URL without a host) needs none. */
    public boolean tryHost(String origin) {
        if (origin == null) {
            return true;
        }
        boolean[] taken = { false };
        hosts.compute(origin, (h, n) -> {
            int running = n == null ? 0 : n;
            taken[0] = running < perHost;
            return taken[0] ? running + 1 : n;
        });
        return taken[0];
    }

    public void releaseHost(String origin) {
        if (origin != null) {
            hosts.computeIfPresent(origin, (h, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Origins with copies running (the size of the per-host state). */
    public int hostsBusy() {
        return hosts.size();
    }

    public void s3SlowDown() {
        long backoff = s3Backoff;
        s3QuietUntil = System.nanoTime() + backoff * 1_000_000;
        s3Backoff = Math.min(30_000, backoff * 2);
    }

    public void s3Ok() {
        s3Backoff = 500;
    }

    public InputStream wrap(InputStream in) {
        if (bytes == null) {
            return in;
        }
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    try {
                        bytes.take(n);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted");
                    }
                }
                return n;
            }
        };
    }

    /** A token bucket holding at most one second's worth; taking more than is there waits for it. */
    private static final class Bucket {
        private final double perSecond;
        private double tokens;
        private long at = System.nanoTime();

        Bucket(double perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        void take(double n) throws InterruptedException {
            long sleepNanos;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(perSecond, tokens + (now - at) / 1e9 * perSecond);
                at = now;
                tokens -= n;
                sleepNanos = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
            }
            if (sleepNanos > 0) {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            }
        }
    }
}

package io.wharf.copy.fetch;

import java.time.Duration;
import java.util.Locale;

/**
 * The pace a legacy body must keep: once the allowance has passed, at least {@code minRate} bytes per second of
 * the time since the body began (0: no pace). So a body of declared length L is complete within allowance +
 * L / min-rate at the latest, and a trickle is cut as soon as it falls behind instead of holding a copy slot for
 * weeks, while a fast body never meets a clock.
 */
final class Pace {

    private final String host;
    private final long allowanceNanos;
    private final long minRate;
    private final int stallMillis;
    private final long start = System.nanoTime();
    private long bytes;

    Pace(String host, Duration allowance, long minRate, Duration stall) {
        this.host = host;
        this.allowanceNanos = allowance.toNanos();
        this.minRate = Math.max(0, minRate);
        this.stallMillis = (int) stall.toMillis();
    }

    int stallMillis() {
        return stallMillis;
    }

    /** Bytes of the body arrived; true when it is now behind the pace. */
    boolean arrived(int n) {
        bytes += n;
        long over = System.nanoTime() - start - allowanceNanos;
        return minRate > 0 && over > 0 && bytes < over / 1e9 * minRate;
    }

    /** How long the body may stay silent before it falls behind: the stall timeout, or less. */
    int silenceAllowed() {
        if (minRate == 0) {
            return stallMillis;
        }
        long ms = (start + allowanceNanos + (long) (bytes * 1e9 / minRate) - System.nanoTime()) / 1_000_000;
        return (int) Math.max(1, Math.min(stallMillis, ms));
    }

    BodyStream.TooSlow tooSlow() {
        double secs = (System.nanoTime() - start) / 1e9;
        return new BodyStream.TooSlow(String.format(Locale.ROOT, "the body from %s came at %d bytes/s (%d bytes in %.1f s), slower than the %d "
                + "bytes/s an attempt must average after its first %d s (wharf.copy.min-rate, attempt-allowance)", host,
                (long) (bytes / Math.max(secs, 0.001)), bytes, secs, minRate, allowanceNanos / 1_000_000_000L));
    }
}

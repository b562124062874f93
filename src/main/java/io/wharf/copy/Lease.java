package io.wharf.copy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * This worker's own view of a job's lease, on its monotonic clock: valid until shortly before the database could
 * hand the job to another worker. The database sets the expiry from its clock when a claim or renewal arrives,
 * which is never before the statement was sent, so counting from the send time errs on the safe side. A copy
 * whose lease is no longer valid here stops, whatever the reason renewals do not get through.
 */
public final class Lease {

    private final long lengthNanos;
    private volatile long validUntil;

    /** {@code margin}: how long before the database's expiry the copy stops (time for its last write to land). */
    public Lease(long sentAtNanos, Duration lease, Duration margin) {
        this.lengthNanos = Math.max(lease.toNanos() / 2, lease.toNanos() - margin.toNanos());
        this.validUntil = sentAtNanos + lengthNanos;
    }

    /** A renewal sent at {@code sentAtNanos} succeeded. */
    public void renewed(long sentAtNanos) {
        validUntil = Math.max(validUntil, sentAtNanos + lengthNanos);
    }

    /** The database says the lease is gone. */
    public void revoke() {
        validUntil = Long.MIN_VALUE;
    }

    public boolean valid() {
        long until = validUntil;
        return until != Long.MIN_VALUE && System.nanoTime() - until < 0;
    }

    public void check() throws Gone {
        if (!valid()) {
            throw new Gone();
        }
    }

    /** The stream, as long as the lease is valid: each read checks it (a read waits at most the stall timeout). */
    public InputStream guard(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                check();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                return super.read(b, off, len);
            }
        };
    }

    /** The copy's lease is no longer valid. */
    public static final class Gone extends IOException {
        Gone() {
            super("the job's lease could not be renewed in time; the copy stopped so that another worker can take the job over");
        }
    }
}

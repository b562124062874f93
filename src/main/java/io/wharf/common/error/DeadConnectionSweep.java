package io.wharf.common.error;

import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.wharf.common.db.SqlFailures;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A connection whose backend was killed (a database restart, a failover, pg_terminate_backend) is
 * rarely alone: usually every connection of the pool died with it. The pool checks only connections
 * idle for over a second before handing them out, so under steady load each dead one would fail one
 * request. The first such failure therefore has the pool check all its idle connections at once, and
 * a restart costs about as many failed requests as were in flight, not one per pooled connection.
 */
@ApplicationScoped
public class DeadConnectionSweep {

    private static final Logger LOG = Logger.getLogger(DeadConnectionSweep.class);
    private static final long AT_MOST_EVERY_NANOS = 1_000_000_000L;

    private final AgroalDataSource dataSource;
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime() - AT_MOST_EVERY_NANOS);

    public DeadConnectionSweep(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Called with any failure; sweeps the pool (asynchronously, at most once a second) when it was a lost connection. */
    public void after(Throwable failure) {
        if (!SqlFailures.connectionLost(failure)) {
            return;
        }
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last >= AT_MOST_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
            LOG.debug("A pooled database connection was lost; validating the idle ones");
            // runs on the pool's housekeeping thread: validates every idle connection, drops the dead, refills to min-size
            dataSource.flush(AgroalDataSource.FlushMode.INVALID);
        }
    }
}

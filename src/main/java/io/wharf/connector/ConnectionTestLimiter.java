package io.wharf.connector;

import java.util.Map;
import java.util.UUID;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.net.OutboundConfig;
import io.wharf.common.work.TenantSlots;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caps the connection tests one tenant runs at once on this instance. A test holds a worker thread for
 * up to the outbound timeout, so without a cap one client sending many slow tests would leave no
 * threads for anyone else; the excess is answered 429 at once instead of queueing.
 */
@ApplicationScoped
public class ConnectionTestLimiter {

    /** Held while a test runs; closing it gives the slot back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final TenantSlots slots;
    private final int retryAfterSeconds;

    ConnectionTestLimiter(OutboundConfig config) {
        this.slots = new TenantSlots(config.maxConcurrentTestsPerTenant());
        this.retryAfterSeconds = Math.max(1, config.timeoutSeconds());
    }

    public Permit acquire(UUID tenant) {
        TenantSlots.Permit slot = slots.tryAcquire(tenant).orElseThrow(() -> new WharfException(ErrorCode.TOO_MANY_REQUESTS, "This tenant "
                + "already runs " + slots.max() + " connection tests; try again when one has finished.",
                Map.of(WharfException.RETRY_AFTER_SECONDS, retryAfterSeconds)));
        return slot::close;
    }
}

package io.wharf.connector;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.wharf.common.WharfConfig;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
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

    private final int max;
    private final int retryAfterSeconds;
    private final Map<UUID, Integer> running = new ConcurrentHashMap<>();

    ConnectionTestLimiter(WharfConfig config) {
        this.max = config.outbound().maxConcurrentTestsPerTenant();
        this.retryAfterSeconds = Math.max(1, config.outbound().timeoutSeconds());
    }

    public Permit acquire(UUID tenant) {
        boolean[] granted = { false };
        running.compute(tenant, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            granted[0] = true;
            return now + 1;
        });
        if (!granted[0]) {
            throw new WharfException(ErrorCode.TOO_MANY_REQUESTS, "This tenant already runs " + max + " connection tests; "
                    + "try again when one has finished.", Map.of(WharfException.RETRY_AFTER_SECONDS, retryAfterSeconds));
        }
        return () -> running.computeIfPresent(tenant, (k, n) -> n <= 1 ? null : n - 1);
    }
}

package io.wharf.bma;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.wharf.common.WharfConfig;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caps the ingestion requests one tenant runs at once on this instance (wharf.bma.max-concurrent-per-tenant).
 * A request holds a worker thread, database connections and S3 connections for as long as its checks and
 * writes take, so one client sending many at once would leave none for the others; the excess is answered
 * 429 at once, before any of that work, instead of queueing.
 */
@ApplicationScoped
class TenantPermits {

    /** Held while a request runs; closing it gives the slot back. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** A slot frees within a typical request's time; the client need not wait long. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final int max;
    private final Map<UUID, Integer> running = new ConcurrentHashMap<>();

    TenantPermits(WharfConfig config) {
        this.max = Math.max(1, config.bma().maxConcurrentPerTenant());
    }

    Permit acquire(UUID tenant) {
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
            throw new WharfException(ErrorCode.TOO_MANY_REQUESTS, "This tenant already has " + max + " ingestion requests in progress "
                    + "(wharf.bma.max-concurrent-per-tenant); send the next when one has been answered.",
                    Map.of(WharfException.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS));
        }
        return () -> running.computeIfPresent(tenant, (k, n) -> n <= 1 ? null : n - 1);
    }
}

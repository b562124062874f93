package io.wharf.bma;

import java.util.Map;
import java.util.UUID;

import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.work.TenantSlots;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caps the ingestion requests one tenant runs at once on this instance (wharf.bma.max-concurrent-per-tenant).
 * A request holds a worker thread, database connections and S3 connections for as long as its checks and
 * writes take, so one client sending many at once would leave none for the others; the excess is answered
 * 429 at once, before any of that work, instead of queueing.
 */
@ApplicationScoped
class TenantPermits {

    /** A slot frees within a typical request's time; the client need not wait long. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final TenantSlots slots;

    TenantPermits(BmaConfig config) {
        this.slots = new TenantSlots(config.maxConcurrentPerTenant());
    }

    TenantSlots.Permit acquire(UUID tenant) {
        return slots.tryAcquire(tenant).orElseThrow(() -> new WharfException(ErrorCode.TOO_MANY_REQUESTS, "This tenant already has "
                + slots.max() + " ingestion requests in progress (wharf.bma.max-concurrent-per-tenant); send the next when one has been answered.",
                Map.of(WharfException.RETRY_AFTER_SECONDS, RETRY_AFTER_SECONDS)));
    }
}

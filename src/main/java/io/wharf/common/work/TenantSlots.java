package io.wharf.common.work;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code max} things of one tenant at once on this instance (connection tests, ingestion requests, name lookups): the
 * excess is refused at once by the caller instead of queueing, so one client cannot hold every worker thread.
 */
public final class TenantSlots {

    /** Held while the work runs; closing it gives the slot back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final int max;
    private final Map<UUID, Integer> running = new ConcurrentHashMap<>();

    public TenantSlots(int max) {
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** A slot, or empty when the tenant holds them all. */
    public Optional<Permit> tryAcquire(UUID tenant) {
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
            return Optional.empty();
        }
        return Optional.of(() -> running.computeIfPresent(tenant, (k, n) -> n <= 1 ? null : n - 1));
    }
}

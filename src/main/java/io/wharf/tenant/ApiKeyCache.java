package io.wharf.tenant;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Keys already verified, so that a request costs no database round trip for authentication. Every
 * change that can invalidate a key (revocation, tenant deactivation) sends NOTIFY in its own
 * transaction, and every instance LISTENs and evicts. The cache is only used while that LISTEN
 * connection is known to be alive (a keepalive round trip no older than two intervals): a connection
 * that died silently would otherwise keep serving keys revoked since. A lookup caches its result only
 * if no eviction happened while it read the database (generation check), so an answer read before a
 * revocation committed cannot be put back after the revocation's eviction; every entry also expires
 * after a TTL, as a backstop. Unknown prefixes are remembered briefly and database lookups are limited
 * in number, so a flood of made-up keys cannot take every pooled connection.
 *
 * <p>{@link KeyRevocationListener} holds the LISTEN connection and tells this cache what it hears and whether
 * it is still listening.
 */
@ApplicationScoped
public class ApiKeyCache {

    static final String CHANNEL = "wharf_api_keys";
    private static final Logger LOG = Logger.getLogger(ApiKeyCache.class);
    private static final int MAX_ENTRIES = 50_000;

    record Entry(String keyHash, ApiKeyService.Authenticated key, OffsetDateTime expiresAt, long cachedAt) {
    }

    private final Map<String, Entry> byPrefix = new ConcurrentHashMap<>();
    /** Prefixes no key can pass with (none, revoked, expired, tenant inactive) and when they were seen. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Semaphore lookups;
    private final AuthConfig.KeyCache config;
    private final TransactionSynchronizationRegistry transactions;
    private volatile boolean listening;
    private volatile long aliveAt;

    ApiKeyCache(AuthConfig auth, TransactionSynchronizationRegistry transactions) {
        this.config = auth.keyCache();
        this.transactions = transactions;
        this.lookups = new Semaphore(config.maxConcurrentLookups());
    }

    /** Whether the cache may decide: listening, and the LISTEN connection answered recently. */
    boolean usable() {
        return listening && System.nanoTime() - aliveAt < config.keepalive().toNanos() * 2 + 1_000_000_000L;
    }

    Optional<Entry> get(String prefix) {
        if (!usable()) {
            return Optional.empty();
        }
        Entry e = byPrefix.get(prefix);
        if (e != null && System.nanoTime() - e.cachedAt() > config.ttl().toNanos()) {
            byPrefix.remove(prefix, e);
            return Optional.empty();
        }
        return Optional.ofNullable(e);
    }

    /** Whether the prefix was recently found to let no key in. */
    boolean refused(String prefix) {
        if (!usable()) {
            return false;
        }
        Long at = refused.get(prefix);
        if (at != null && System.nanoTime() - at > config.negativeTtl().toNanos()) {
            refused.remove(prefix, at);
            return false;
        }
        return at != null;
    }

    /** Read before a lookup; pass it to {@link #put} or {@link #refuse}. */
    long generation() {
        return generation.get();
    }

    /** Caches a lookup's result unless an eviction happened since {@code seenGeneration} was read. */
    void put(String prefix, Entry entry, long seenGeneration) {
        if (!usable() || generation.get() != seenGeneration) {
            return;
        }
        if (byPrefix.size() >= MAX_ENTRIES) {
            byPrefix.clear();
        }
        byPrefix.put(prefix, entry);
        // an eviction between the check and the put has already run its removal: undo the put
        if (generation.get() != seenGeneration) {
            byPrefix.remove(prefix, entry);
        }
    }

    void refuse(String prefix, long seenGeneration) {
        if (!usable() || generation.get() != seenGeneration) {
            return;
        }
        if (refused.size() >= config.negativeMaxEntries()) {
            refused.clear();
        }
        Long at = System.nanoTime();
        refused.put(prefix, at);
        if (generation.get() != seenGeneration) {
            refused.remove(prefix, at);
        }
    }

    /** A key was issued here: its prefix, if ever probed, must not stay refused. */
    void issued(String prefix) {
        generation.incrementAndGet();
        refused.remove(prefix);
    }

    /** Bounds the database lookups in flight; false when none frees up within the configured wait. */
    boolean tryAcquireLookup() throws InterruptedException {
        return lookups.tryAcquire(config.lookupWait().toMillis(), TimeUnit.MILLISECONDS);
    }

    void releaseLookup() {
        lookups.release();
    }

    /** The payload of the notification that evicts one key. */
    static String keyEvent(String prefix) {
        return "key:" + prefix;
    }

    /** The payload of the notification that evicts every key of a tenant. */
    static String tenantEvent(UUID tenantId) {
        return "tenant:" + tenantId;
    }

    /**
     * Evicts what the event names once the current transaction has ended, before the caller's answer is
     * sent. Evicting earlier is not enough: a lookup that reads the row while the change is uncommitted
     * still sees the old row and caches it after that eviction, and only the NOTIFY (whenever the LISTEN
     * connection gets to it) would remove it. Evicts on rollback too, which costs one lookup.
     */
    void evictAfterCompletion(String event) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                evict(event);
            }
        });
    }

    /** Evicts what the event names; anything not understood evicts everything. Never throws. */
    void evict(String event) {
        generation.incrementAndGet();
        try {
            if (event != null && event.startsWith("key:")) {
                String prefix = event.substring(4);
                byPrefix.remove(prefix);
                refused.remove(prefix);
                return;
            }
            if (event != null && event.startsWith("tenant:")) {
                UUID tenant = UUID.fromString(event.substring(7));
                byPrefix.values().removeIf(e -> e.key().tenantId().equals(tenant));
                refused.clear(); // a reactivated tenant's prefixes must be looked up again
                return;
            }
        } catch (RuntimeException e) {
            // fall through: an event we cannot read may concern any key
        }
        LOG.warnf("API key cache: unexpected notification on %s (%d characters), evicting every key", CHANNEL,
                event == null ? 0 : event.length());
        clear();
    }

    private void clear() {
        generation.incrementAndGet();
        byPrefix.clear();
        refused.clear();
    }

    /** The LISTEN connection is up and listening: the cache starts empty, having missed any notification before. */
    void listenStarted() {
        clear();
        aliveAt = System.nanoTime();
        listening = true;
    }

    /** A round trip on the LISTEN connection succeeded. */
    void listenAlive() {
        aliveAt = System.nanoTime();
    }

    boolean isListening() {
        return listening;
    }

    /** The LISTEN connection failed ({@code why}) or ended (null): the cache is unused, and empty, until it listens again. */
    void listenPaused(String why) {
        if (why != null && listening) {
            LOG.warnf("API key cache paused, authenticating against the database meanwhile: %s", why);
        }
        listening = false;
        clear();
    }
}

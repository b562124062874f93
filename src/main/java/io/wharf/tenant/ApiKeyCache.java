package io.wharf.tenant;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keys already verified, so that a request costs no database round trip for authentication. Every
 * change that can invalidate a key (revocation, tenant deactivation) sends NOTIFY in its own
 * transaction, and every instance LISTENs and evicts. While the listening connection is down the cache
 * is bypassed, so a revoked key never outlives its revocation by more than the notification's delivery.
 */
@ApplicationScoped
public class ApiKeyCache {

    static final String CHANNEL = "wharf_api_keys";
    private static final Logger LOG = Logger.getLogger(ApiKeyCache.class);
    private static final int MAX_ENTRIES = 50_000;

    record Entry(String keyHash, ApiKeyService.Authenticated key, java.time.OffsetDateTime expiresAt) {
    }

    private final Map<String, Entry> byPrefix = new ConcurrentHashMap<>();
    private final String url;
    private final String user;
    private final String password;
    private volatile boolean listening;
    private volatile boolean running = true;
    private Thread listener;

    ApiKeyCache(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.user = user.orElse(null);
        this.password = password.orElse(null);
    }

    void start(@Observes StartupEvent event) {
        listener = new Thread(this::listen, "wharf-api-key-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    Optional<Entry> get(String prefix) {
        return listening ? Optional.ofNullable(byPrefix.get(prefix)) : Optional.empty();
    }

    void put(String prefix, Entry entry) {
        if (!listening) {
            return;
        }
        if (byPrefix.size() >= MAX_ENTRIES) {
            byPrefix.clear();
        }
        byPrefix.put(prefix, entry);
    }

    /** The payload of the notification that evicts one key. */
    static String keyEvent(String prefix) {
        return "key:" + prefix;
    }

    /** The payload of the notification that evicts every key of a tenant. */
    static String tenantEvent(UUID tenantId) {
        return "tenant:" + tenantId;
    }

    void evict(String event) {
        if (event.startsWith("key:")) {
            byPrefix.remove(event.substring(4));
        } else if (event.startsWith("tenant:")) {
            UUID tenant = UUID.fromString(event.substring(7));
            byPrefix.values().removeIf(e -> e.key().tenantId().equals(tenant));
        } else {
            byPrefix.clear();
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
                byPrefix.clear();
                listening = true;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            evict(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warnf("API key cache paused, authenticating against the database meanwhile: %s", e.getMessage());
                }
            } finally {
                listening = false;
                byPrefix.clear();
            }
            sleep(1000);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

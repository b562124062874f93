package io.wharf.tenant;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * LISTENs for the changes that invalidate keys ({@link ApiKeyCache#CHANNEL}) on a connection of its own and
 * evicts them from the {@link ApiKeyCache}, which it also tells whether it is listening: the cache decides only
 * while the connection is known to be alive.
 *
 * <p>The LISTEN loop is a dedicated thread, not a scheduled job: it blocks on its own connection for the
 * life of the process and must react to a notification at once, which a trigger firing at intervals would
 * neither do nor allow without holding a scheduler worker forever. The keepalive, which is periodic work, is
 * scheduled. Nothing is claimed and nothing is lost on stop (a new start begins with an empty cache), so the
 * thread only needs to be told to end.
 */
@ApplicationScoped
class KeyRevocationListener {

    private static final Logger LOG = Logger.getLogger(KeyRevocationListener.class);

    private final ApiKeyCache cache;
    private final String url;
    private final Properties connectionProperties = new Properties();
    private volatile Connection connection;
    private volatile boolean running = true;
    private Thread listener;

    KeyRevocationListener(ApiKeyCache cache, AuthConfig auth, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.cache = cache;
        this.url = url;
        user.ifPresent(u -> connectionProperties.setProperty("user", u));
        password.ifPresent(p -> connectionProperties.setProperty("password", p));
        // a silently dead connection must fail a read instead of hanging the keepalive forever
        long keepaliveSeconds = Math.max(1, auth.keyCache().keepalive().toSeconds());
        connectionProperties.setProperty("socketTimeout", Long.toString(keepaliveSeconds * 3));
        connectionProperties.setProperty("connectTimeout", Long.toString(Math.max(2, keepaliveSeconds)));
        connectionProperties.setProperty("ApplicationName", "wharf-api-key-listener");
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

    /**
     * A round trip on the LISTEN connection proves it alive; while it fails, the cache stays unused and the
     * connection is dropped so that the listener reconnects (and, having missed notifications, starts empty).
     */
    @Scheduled(every = "{wharf.auth.key-cache.keepalive}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void keepalive() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            cache.listenAlive();
        } catch (SQLException e) {
            cache.listenPaused("keepalive failed: " + e.getMessage());
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, connectionProperties); Statement st = c.createStatement()) {
                st.execute("LISTEN " + ApiKeyCache.CHANNEL);
                connection = c;
                cache.listenStarted();
                backoff = 500;
                LOG.info("API key cache listening for revocations");
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running && cache.isListening()) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            cache.evict(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    cache.listenPaused(e.getMessage());
                }
            } finally {
                connection = null;
                cache.listenPaused(null);
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, Duration.ofSeconds(10).toMillis());
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

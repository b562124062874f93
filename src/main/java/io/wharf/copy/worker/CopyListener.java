package io.wharf.copy.worker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.queue.CopyControl;
import io.wharf.copy.queue.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Hears NOTIFY on the migration channel: new jobs wake the worker at once, and a pause or resume takes effect
 * without waiting for the next read of the switch. A dedicated thread on a connection of its own, because it
 * blocks on that connection for the life of the process; it reconnects after a failure. The schedule of the
 * worker and of the switch cover whatever it misses.
 */
@ApplicationScoped
class CopyListener {

    private static final Logger LOG = Logger.getLogger(CopyListener.class);

    private final CopyWorker worker;
    private final CopyControl control;
    private final String url;
    private final Properties properties = new Properties();
    private final boolean enabled;
    private volatile boolean running;
    private Thread thread;

    CopyListener(CopyWorker worker, CopyControl control, CopyConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.worker = worker;
        this.control = control;
        this.url = url;
        this.enabled = config.enabled();
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("ApplicationName", "wharf-copy-listener");
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "wharf-copy-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void listen() {
        long backoff = 500;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, properties); Statement st = c.createStatement()) {
                st.execute("LISTEN " + JobRepository.CHANNEL);
                backoff = 500;
                worker.wake(); // whatever was announced while not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(10_000);
                    if (notes != null && notes.length > 0) {
                        boolean controlChanged = false;
                        for (PGNotification n : notes) {
                            controlChanged |= "control".equals(n.getParameter());
                        }
                        if (controlChanged) {
                            control.refresh();
                        }
                        worker.wake();
                    } else {
                        st.execute("SELECT 1"); // a silent connection that died is noticed here
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.debugf("Migration listener reconnecting: %s", e.getMessage());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(10_000, backoff * 2);
                }
            }
        }
    }
}

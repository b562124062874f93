package io.wharf.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jboss.logging.Logger;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.wharf.common.db.SqlFailures;
import jakarta.inject.Singleton;

/**
 * The one place that adds Wharf's rules to Flyway, used by the application's start-up migration and by
 * the tests and benchmark that drive Flyway directly, so all of them run the same configuration.
 *
 * <p>Flyway's own lock only covers creating its history table and applying scripts: two instances that
 * start together on an empty database both decide, unlocked, whether to create or to baseline the
 * history table, and the loser fails ("Unable to baseline ... as it already exists, and is empty").
 * {@link #migrate(Flyway)} therefore holds a lock of its own around the whole migrate command.
 */
@Singleton
public class WharfFlyway implements FlywayConfigurationCustomizer {

    /** pg_advisory_lock key of a whole migrate run; Flyway's own key is a different number. */
    static final long MIGRATE_LOCK = 0x5748_4152_465f_4d47L; // "WHARF_MG"
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Logger LOG = Logger.getLogger(WharfFlyway.class);

    @Override
    public void customize(FluentConfiguration configuration) {
        apply(configuration);
    }

    public static FluentConfiguration apply(FluentConfiguration configuration) {
        // A transaction-scoped advisory lock would make CREATE INDEX CONCURRENTLY wait on Flyway's own
        // transaction forever; the session-level lock still keeps concurrent starts apart.
        configuration.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return configuration
                .callbacks(new AdoptedTables(), new MigrationLedger())
                .validateOnMigrate(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("adopted existing schema");
    }

    public static MigrateResult migrate(Flyway flyway) {
        return migrate(flyway, Duration.ofMinutes(30));
    }

    /**
     * Runs {@code flyway.migrate()} while holding a session-level advisory lock on a connection of its own.
     * The lock is polled with pg_try_advisory_lock rather than waited for: a session blocked inside
     * pg_advisory_lock holds a snapshot, and CREATE INDEX CONCURRENTLY in the running migration would wait
     * for that snapshot while the waiter waits for the lock.
     */
    public static MigrateResult migrate(Flyway flyway, Duration maxWait) {
        DataSource dataSource = flyway.getConfiguration().getDataSource();
        int retries = flyway.getConfiguration().getConnectRetries();
        long deadline = System.nanoTime() + maxWait.toNanos();
        Connection lock = null;
        try {
            // a connection lost while waiting (database restart, killed backend) is replaced, and the wait goes on
            for (int lost = 0;; lost++) {
                lock = connect(dataSource, retries);
                try {
                    lock.setAutoCommit(true);
                    acquire(lock, deadline, maxWait);
                    break;
                } catch (SQLException e) {
                    closeQuietly(lock);
                    lock = null;
                    if (lost >= retries || !SqlFailures.sessionBroken(e)) {
                        throw e;
                    }
                    LOG.infof("Lost the connection waiting for the migration lock (%s), reconnecting", e.getMessage());
                }
            }
            try {
                return flyway.migrate();
            } finally {
                // A pooled connection keeps session locks when it is handed back: release explicitly.
                try (Statement st = lock.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + MIGRATE_LOCK + ")");
                } catch (SQLException e) {
                    if (!SqlFailures.sessionBroken(e)) {
                        throw e;
                    }
                    // a session lock ends with its session: nothing is left to release
                    LOG.warnf("Lost the connection holding the migration lock after migrating (%s)", e.getMessage());
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("schema migration lock: " + e.getMessage(), e);
        } finally {
            if (lock != null) {
                closeQuietly(lock);
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // broken already
        }
    }

    private static void acquire(Connection c, long deadline, Duration maxWait) throws SQLException {
        long nextLog = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + MIGRATE_LOCK + ")")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new FlywayException("another instance has been migrating this database for more than " + maxWait
                        + "; not starting alongside it");
            }
            if (now > nextLog) {
                LOG.info("Waiting for another instance to finish migrating the database");
                nextLog = now + Duration.ofSeconds(10).toNanos();
            }
            sleep(POLL);
        }
    }

    /** The database may still be starting (compose, CI): retry like Flyway's connect-retries would. */
    private static Connection connect(DataSource dataSource, int retries) throws SQLException {
        for (int attempt = 0;; attempt++) {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                if (attempt >= retries) {
                    throw e;
                }
                LOG.infof("Database not reachable yet (%s), retrying", e.getMessage());
                sleep(Duration.ofSeconds(Math.min(1L << Math.min(attempt, 4), 10)));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlywayException("interrupted while waiting to migrate", e);
        }
    }
}

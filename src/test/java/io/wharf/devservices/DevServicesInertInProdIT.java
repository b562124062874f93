package io.wharf.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.wharf.testing.AppProcess;
import io.wharf.testing.TestDatabases;

/**
 * The dev-only start-up code ships in the jar, so a production start must leave it inert: given what makes
 * dev mode act (a database that does not exist, no S3 endpoint, and even local services switched on), the
 * packaged application creates no database, starts no S3Proxy and fails on the missing database as any
 * production start would.
 */
class DevServicesInertInProdIT {

    private static final Duration START = Duration.ofSeconds(90);

    @ParameterizedTest(name = "wharf.local-services.enabled={0}")
    @ValueSource(strings = { "unset", "true" })
    void aProductionStartCreatesNoDatabaseAndStartsNoS3Proxy(String enabled, @TempDir Path workDir) throws Exception {
        Map<String, String> config = new HashMap<>();
        // no endpoint is what makes dev mode start S3Proxy
        config.put("quarkus.s3.endpoint-override", "");
        // fail on the missing database at once instead of waiting for it to appear
        config.put("quarkus.flyway.connect-retries", "0");
        if (!"unset".equals(enabled)) {
            config.put("wharf.local-services.enabled", enabled);
        }
        TestDatabases.Db absent = new TestDatabases.Db(TestDatabases.server(), TestDatabases.uniqueName("wharf_prod_absent"));
        // the working directory is where dev mode would look for the S3Proxy jar and keep its data
        try (absent; AppProcess app = AppProcess.start(absent, config, workDir)) {
            Set<String> children = new LinkedHashSet<>();
            long deadline = System.nanoTime() + START.toNanos();
            // until it exits, or until it is up, which it could only be on a database someone made for it
            while (app.isAlive() && System.nanoTime() < deadline && !app.output().contains("Listening on")) {
                children.addAll(app.childCommands());
                Thread.sleep(20);
            }
            assertThat(databaseExists(absent)).as("database %s was created", absent.name()).isFalse();
            assertThat(children).as("processes started by the application").isEmpty();
            assertThat(workDir.resolve("target")).as("S3Proxy's data directory").doesNotExist();
            assertThat(app.output()).doesNotContain("S3Proxy").doesNotContain("Created local database")
                    .contains("database \"" + absent.name() + "\" does not exist");
            assertThat(app.awaitExit(Duration.ofSeconds(5))).isNotZero();
        }
    }

    private static boolean databaseExists(TestDatabases.Db db) throws Exception {
        try (Connection c = db.server().connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, db.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}

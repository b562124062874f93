package io.wharf.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.wharf.devservices.S3ProxyProcess;
import io.wharf.testing.AppProcess;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TcpProxy;
import io.wharf.testing.TestDatabases;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The worker as deployed, in processes of the packaged application: killed with SIGKILL mid-drain and
 * restarted, two instances draining one queue, and S3 going away mid-drain and coming back. Each ends with
 * every job migrated once: one user_uploads row and one audit row per job, and the legacy bytes in S3.
 */
class CopyProcessesIT {

    private static final String ADMIN = "wharf_itmigr000000_integration-test-bootstrap-key-000000001";
    private static final String BUCKET = "wharf-it";
    private static final Duration START = Duration.ofSeconds(90);

    private TestDatabases.Db db;
    private S3ProxyProcess s3proxy;
    private S3Client s3;
    private LegacyOrigin origin;
    private final Map<String, byte[]> served = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.create("wharf_migit");
        Path dir = Files.createTempDirectory("wharf-migit-s3");
        s3proxy = S3ProxyProcess.start(Path.of("target/s3proxy/s3proxy.jar"), dir);
        s3proxy.createBucket(BUCKET);
        s3 = s3proxy.client();
        origin = LegacyOrigin.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        origin.close();
        s3.close();
        s3proxy.close();
        db.close();
    }

    private Map<String, String> settings(String s3Endpoint, Map<String, String> more) {
        Map<String, String> m = new HashMap<>(Map.of("wharf.auth.bootstrap-admin-key", ADMIN, "wharf.copy.enabled", "true",
                "quarkus.s3.endpoint-override", s3Endpoint, "quarkus.s3.path-style-access", "true", "wharf.s3.bucket", BUCKET,
                "quarkus.s3.aws.credentials.static-provider.access-key-id", S3ProxyProcess.ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", S3ProxyProcess.SECRET_KEY,
                "wharf.copy.allowed-hosts", "127.0.0.1:*", "wharf.copy.lease", "6s"));
        m.putAll(Map.of("wharf.copy.renew-every", "2s", "wharf.copy.poll-every", "1s", "wharf.copy.backoff-base", "200ms",
                "wharf.copy.backoff-cap", "1s", "wharf.copy.max-attempts", "50", "wharf.copy.concurrency", "4"));
        m.putAll(more);
        return m;
    }

    /** Legacy profiles whose avatars the origin serves slowly enough that a drain takes a few seconds. */
    private List<UUID> profiles(int n, String how) {
        DataSource ds = db.dataSource();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = CopyFixtures.bytes(40_000 + i, i);
            String url = origin.serve("avatar-" + i + ".jpg", b, how);
            served.put(url, b);
            ids.add(CopyFixtures.profile(ds, url, null, null));
        }
        return ids;
    }

    private void scan(AppProcess app) throws Exception {
        assertThat(app.call("POST", "/api/s3-migration/scan?table=business_profiles", ADMIN, null).statusCode()).isEqualTo(200);
    }

    private long count(String sql) {
        return (Long) Sql.scalar(db.dataSource(), sql);
    }

    /** Every job migrated exactly once, its object holding the legacy bytes, its row pointing at it. */
    private void assertAllMigratedOnce(int jobs) {
        DataSource ds = db.dataSource();
        assertThat(Sql.rows(ds, "SELECT migration_status, count(*) AS n FROM s3_migration_log GROUP BY 1"))
                .containsExactly(Map.of("migration_status", "migrated", "n", (long) jobs));
        assertThat(count("SELECT count(*) FROM user_uploads")).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM (SELECT s3_key FROM user_uploads GROUP BY s3_key HAVING count(*) > 1) d")).isZero();
        assertThat(count("SELECT count(*) FROM audit_logs WHERE action = 'migrate_to_s3'")).isEqualTo(jobs);
        assertThat(count("SELECT count(*) FROM business_profiles WHERE avatar_s3_url IS NULL")).isZero();
        for (Map<String, Object> j : Sql.rows(ds, "SELECT old_url, s3_key FROM s3_migration_log")) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key((String) j.get("s3_key"))).asByteArray())
                    .isEqualTo(served.get(j.get("old_url")));
        }
    }

    @Test
    void aWorkerKilledMidDrainLeavesOnlyLeasesThatAnotherTakesOver() throws Exception {
        try (AppProcess first = AppProcess.start(db, settings(s3proxy.endpoint(), Map.of())).awaitUp(START)) {
            profiles(120, "slow");
            scan(first);
            CopyFixtures.await("some are migrated", Duration.ofSeconds(60),
                    () -> count("SELECT count(*) FROM s3_migration_log WHERE migration_status = 'migrated'") >= 10);
            first.kill();
            assertThat(count("SELECT count(*) FROM s3_migration_log WHERE migration_status = 'pending'")).isPositive();
            assertThat(count("SELECT count(*) FROM s3_migration_log WHERE lease_owner IS NOT NULL")).isPositive(); // it died holding jobs
        }
        try (AppProcess second = AppProcess.start(db, settings(s3proxy.endpoint(), Map.of())).awaitUp(START)) {
            CopyFixtures.await("all are migrated", Duration.ofSeconds(120),
                    () -> count("SELECT count(*) FROM s3_migration_log WHERE migration_status <> 'migrated'") == 0);
            assertAllMigratedOnce(120);
        }
    }

    @Test
    void twoInstancesDrainOneQueueAndCompleteEachJobOnce() throws Exception {
        try (AppProcess a = AppProcess.start(db, settings(s3proxy.endpoint(), Map.of()));
             AppProcess b = AppProcess.start(db, settings(s3proxy.endpoint(), Map.of()))) {
            a.awaitUp(START);
            b.awaitUp(START);
            profiles(200, "slow");
            scan(a);
            CopyFixtures.await("all are migrated", Duration.ofSeconds(120),
                    () -> count("SELECT count(*) FROM s3_migration_log WHERE migration_status <> 'migrated'") == 0);
            assertAllMigratedOnce(200);
            // both took part
            assertThat(count("SELECT count(DISTINCT u.metadata->>'migration_job_id') FROM user_uploads u")).isEqualTo(200);
            String progress = a.call("GET", "/api/s3-migration/progress", ADMIN, null).body();
            assertThat(progress).contains("\"workers_alive\":2");
        }
    }

    @Test
    void s3GoneMidDrainAndBackEndsWithEverythingMigrated() throws Exception {
        int s3Port = URI.create(s3proxy.endpoint()).getPort();
        try (TcpProxy relay = TcpProxy.start("127.0.0.1", s3Port);
             AppProcess app = AppProcess.start(db, settings("http://127.0.0.1:" + relay.port(), Map.of())).awaitUp(START)) {
            profiles(100, "slow");
            scan(app);
            CopyFixtures.await("some are migrated", Duration.ofSeconds(60),
                    () -> count("SELECT count(*) FROM s3_migration_log WHERE migration_status = 'migrated'") >= 10);
            relay.cut();
            Thread.sleep(4_000);
            long duringOutage = count("SELECT count(*) FROM s3_migration_log WHERE migration_status = 'migrated'");
            assertThat(count("SELECT count(*) FROM s3_migration_log WHERE migration_status = 'failed'")).isZero();
            relay.restore();
            CopyFixtures.await("all are migrated", Duration.ofSeconds(120),
                    () -> count("SELECT count(*) FROM s3_migration_log WHERE migration_status <> 'migrated'") == 0);
            assertThat(duringOutage).isLessThan(100);
            assertAllMigratedOnce(100);
        }
    }
}

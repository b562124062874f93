package io.wharf.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A worker cut off from its database while it copies (its connection frozen, not broken: its statements wait)
 * loses its lease to another worker, which copies the file (replaced on the legacy server meanwhile) and records
 * it. When the first worker's connection comes back, nothing the winner recorded may change: the row points at
 * an object holding the bytes and checksum the winner recorded, and no other object of the job is left.
 */
class CopyFencingIT {

    private static final String ADMIN = "wharf_itfence00000_integration-test-bootstrap-key-000000001";
    private static final String BUCKET = "wharf-it";
    private static final Duration START = Duration.ofSeconds(90);

    private TestDatabases.Db db;
    private S3ProxyProcess s3proxy;
    private S3Client s3;
    private LegacyOrigin origin;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.create("wharf_fence");
        Path dir = Files.createTempDirectory("wharf-fence-s3");
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

    /** The copy's settings under their old names (wharf.migration.*), as operators may still have them: they still apply. */
    private Map<String, String> settings(Map<String, String> more) {
        Map<String, String> m = new HashMap<>(Map.of("wharf.auth.bootstrap-admin-key", ADMIN, "wharf.copy.enabled", "true",
                "quarkus.s3.endpoint-override", s3proxy.endpoint(), "quarkus.s3.path-style-access", "true", "wharf.s3.bucket", BUCKET,
                "quarkus.s3.aws.credentials.static-provider.access-key-id", S3ProxyProcess.ACCESS_KEY,
                "quarkus.s3.aws.credentials.static-provider.secret-access-key", S3ProxyProcess.SECRET_KEY,
                "wharf.migration.allowed-hosts", "127.0.0.1:*", "wharf.migration.lease", "6s"));
        m.putAll(Map.of("wharf.migration.renew-every", "2s", "wharf.migration.poll-every", "1s", "wharf.migration.concurrency", "1"));
        m.putAll(more);
        return m;
    }

    private static byte[] jpeg(int size, long seed) {
        byte[] b = CopyFixtures.bytes(size, seed);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        return b;
    }

    private Object one(String sql, Object... args) {
        return Sql.scalar(db.dataSource(), sql, args);
    }

    @Test
    void aWorkerThatLostItsLeaseChangesNothingTheNewOwnerRecorded() throws Exception {
        byte[] first = jpeg(120_000, 1);
        byte[] replaced = jpeg(50_000, 2);
        String url = origin.serveChanging("avatar.jpg", first, replaced, 60);
        int pgPort = URI.create(db.jdbcUrl().substring(5)).getPort();
        try (TcpProxy proxy = TcpProxy.start("localhost", pgPort);
             AppProcess frozen = AppProcess.start(db, settings(Map.of("quarkus.datasource.jdbc.url",
                     "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name()))).awaitUp(START)) {
            UUID profile = CopyFixtures.profile(db.dataSource(), url, null, null);
            assertThat(frozen.call("POST", "/api/s3-migration/scan?table=business_profiles", ADMIN, null).statusCode()).isEqualTo(200);
            CopyFixtures.await("the first worker copies", Duration.ofSeconds(30), () -> origin.hits("avatar.jpg") == 1);
            proxy.freeze();
            long frozenAt = System.nanoTime();
            try (AppProcess winner = AppProcess.start(db, settings(Map.of())).awaitUp(START)) {
                CopyFixtures.await("the second worker takes the job over and records it", Duration.ofSeconds(60),
                        () -> "migrated".equals(one("SELECT migration_status FROM s3_migration_log WHERE record_id = ?", profile)));
                assertThat(System.nanoTime() - frozenAt).as("recorded while the first copy could still be running")
                        .isLessThan(Duration.ofSeconds(55).toNanos());
                boolean firstStillCopying = origin.answering() > 0;
                // the first worker's copy: stopped, or finished reading the old file and written whatever it writes
                CopyFixtures.await("the first copy is over", Duration.ofSeconds(90), () -> origin.answering() == 0);
                Thread.sleep(3_000);
                proxy.thaw();
                CopyFixtures.await("the first worker reaches its database again", Duration.ofSeconds(30),
                        () -> ready(frozen));
                Thread.sleep(5_000); // its renewals, recorder and deletes run what they held back

                Map<String, Object> job = Sql.rows(db.dataSource(), "SELECT migration_status, s3_key, file_size, checksum_sha256, content_type, "
                        + "new_s3_url FROM s3_migration_log WHERE record_id = ?", profile).get(0);
                assertThat(job).containsEntry("migration_status", "migrated").containsEntry("file_size", (long) replaced.length)
                        .containsEntry("checksum_sha256", sha256(replaced)).containsEntry("content_type", "image/jpeg");
                String key = (String) job.get("s3_key");
                assertThat(one("SELECT avatar_s3_url FROM business_profiles WHERE id = ?", profile)).isEqualTo(job.get("new_s3_url"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).as("the recorded object holds the recorded bytes")
                        .isEqualTo(replaced);
                List<String> objects = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("legacy/")).contents().stream()
                        .map(S3Object::key).toList();
                assertThat(objects).as("no object of the lost claim is left").containsExactly(key);
                assertThat(one("SELECT count(*) FROM user_uploads")).isEqualTo(1L);
                assertThat(one("SELECT count(*) FROM audit_logs WHERE action = 'migrate_to_s3'")).isEqualTo(1L);
                assertThat(firstStillCopying).as("the first copy stopped once its lease could not be renewed").isFalse();
            }
        }
    }

    private static boolean ready(AppProcess app) {
        try {
            return app.call("GET", "/q/health/ready", ADMIN, null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}

package io.wharf.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the copy's tests share: a loopback legacy origin for the test class, the database and the bucket, legacy rows
 * with file URLs as seed 001's tables hold them, and waiting for the worker.
 */
public abstract class CopyFixtures {

    static LegacyOrigin origin;

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @BeforeAll
    static void startOrigin() throws Exception {
        origin = LegacyOrigin.start();
    }

    @AfterAll
    static void stopOrigin() throws Exception {
        origin.close();
    }

    /** The bytes of an object of the bucket. */
    byte[] object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    public static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static UUID profile(DataSource ds, String avatar, String logo, List<String> documents) {
        UUID id = UUID.randomUUID();
        Sql.exec(ds, "INSERT INTO business_profiles (id, business_name, avatar_url, logo_url, document_urls, user_id) VALUES (?, 'Shop', ?, ?, "
                + "CAST(? AS jsonb), ?)", id, avatar, logo, json(documents), UUID.randomUUID());
        return id;
    }

    public static String json(List<String> urls) {
        return urls == null ? "[]" : "[" + String.join(",", urls.stream().map(u -> "\"" + u + "\"").toList()) + "]";
    }

    /** The jobs of a record, by source column and URL. */
    static List<Map<String, Object>> jobs(DataSource ds, UUID record) {
        return Sql.rows(ds,
                "SELECT source_column, old_url, migration_status, attempts, failure_reason, error_message, new_s3_url, s3_key, file_size, "
                        + "checksum_sha256 FROM s3_migration_log WHERE record_id = ? ORDER BY source_column, old_url",
                record);
    }

    static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Waits until none of the records' jobs is pending. */
    static void awaitSettled(DataSource ds, Duration timeout, UUID... records) throws InterruptedException {
        await("the jobs are settled", timeout, () -> ((Long) Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log WHERE record_id = ANY(?) "
                + "AND migration_status = 'pending'", (Object) records)) == 0);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log WHERE record_id = ANY(?)", (Object) records)).isNotEqualTo(0L);
    }
}

package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.devservices.S3ProxyProcess;
import io.wharf.testing.AppProcess;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A seed 001 database whose application set expires_at on its uploads, adopted by Wharf with the upload sweep
 * running every second: the sweep removes the uploads Wharf's API created and expired, and never an adopted
 * upload's object or row, nor an object the migration recorded.
 */
class UploadSweepAdoptionIT {

    private static final String ADMIN = "wharf_itsweep00000_integration-test-bootstrap-key-000000001";
    private static final String BUCKET = "wharf-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSweepRemovesOnlyWhatTheUploadApiCreated() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_sweep");
             S3ProxyProcess s3proxy = S3ProxyProcess.start(Path.of("target/s3proxy/s3proxy.jar"), Files.createTempDirectory("wharf-sweep-s3"));
             S3Client s3 = s3proxy.client()) {
            s3proxy.createBucket(BUCKET);
            DataSource ds = db.dataSource();
            // seed 001's leanest tables, with an upload its application let expire two days ago, and a migration record
            for (String sql : List.of("CREATE TABLE business_partners (id UUID PRIMARY KEY)", "CREATE TABLE business_profiles (id UUID PRIMARY KEY)",
                    "CREATE TABLE visibility_check_leads (id UUID PRIMARY KEY)",
                    "CREATE TABLE user_uploads (id UUID PRIMARY KEY, user_id UUID, partner_id UUID REFERENCES business_partners (id), filename TEXT, "
                            + "original_filename TEXT, s3_url TEXT, s3_bucket TEXT, s3_key TEXT, content_type TEXT, file_size BIGINT, upload_type TEXT, "
                            + "is_public BOOLEAN, uploaded_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, metadata JSONB, created_at TIMESTAMPTZ, "
                            + "updated_at TIMESTAMPTZ)",
                    "INSERT INTO user_uploads (id, user_id, filename, original_filename, s3_url, s3_bucket, s3_key, content_type, file_size, "
                            + "upload_type, is_public, uploaded_at, expires_at) VALUES ('44444444-4444-4444-4444-444444444441', gen_random_uuid(), "
                            + "'a.jpg', 'Avatar.jpg', 'https://" + BUCKET + ".s3.amazonaws.com/avatars/a.jpg', '" + BUCKET + "', 'avatars/a.jpg', "
                            + "'image/jpeg', 3, 'avatar', false, now() - interval '3 days', now() - interval '2 days')")) {
                Sql.exec(ds, sql);
            }
            s3.putObject(b -> b.bucket(BUCKET).key("avatars/a.jpg"), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));

            Map<String, String> settings = new HashMap<>(Map.of("wharf.auth.bootstrap-admin-key", ADMIN, "quarkus.s3.endpoint-override",
                    s3proxy.endpoint(), "quarkus.s3.path-style-access", "true", "wharf.s3.bucket", BUCKET,
                    "quarkus.s3.aws.credentials.static-provider.access-key-id", S3ProxyProcess.ACCESS_KEY,
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key", S3ProxyProcess.SECRET_KEY,
                    "wharf.uploads.sweep.every", "1s", "wharf.uploads.sweep.grace", "0s"));
            try (AppProcess app = AppProcess.start(db, settings).awaitUp(Duration.ofSeconds(90))) {
                // an upload of Wharf's API, expired: the sweep's to remove
                JsonNode tenant = JSON
                        .readTree(app.call("POST", "/api/admin/tenants", ADMIN, "{\"name\": \"sweep\", \"scopes\": [\"client\"]}").body());
                String key = tenant.path("apiKey").path("key").asText();
                var created = app.call("POST", "/api/uploads", key,
                        "{\"upload_type\": \"image\", \"original_filename\": \"x.jpg\", \"content_type\": \"image/jpeg\", \"file_size\": 10}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String id = JSON.readTree(created.body()).path("id").asText();
                Sql.exec(ds, "UPDATE user_uploads SET expires_at = now() - interval '1 day' WHERE id = ?::uuid", id);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((Long) Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE id = ?::uuid", id) > 0) {
                    assertThat(System.nanoTime()).as("the sweep removes the expired API upload").isLessThan(deadline);
                    Thread.sleep(200);
                }
                Thread.sleep(2_000); // another pass or two

                assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE id = '44444444-4444-4444-4444-444444444441'")).isEqualTo(1L);
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("avatars/a.jpg")).asByteArray()).containsExactly(1, 2, 3);
            }
        }
    }
}

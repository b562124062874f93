package io.wharf.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.devservices.S3ProxyProcess;
import io.wharf.testing.AppProcess;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TestDatabases;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ingestion and the migration judge a tenant's image URL by one policy, with settings of this test's own (so in a
 * process of its own): a host on wharf.outbound.allowed-hosts is accepted and then fetched, not refused by the
 * fetch; a host only on wharf.copy.allowed-hosts is the operator's and refused at ingestion.
 */
class TenantUrlPolicyIT {

    private static final String ADMIN = "wharf_iturlpol0000_integration-test-bootstrap-key-000000001";
    private static final String BUCKET = "wharf-urlit";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String transaction(String id, String url) throws Exception {
        return JSON.writeValueAsString(Map.of("external_transaction_id", id, "transaction_date", "2025-11-07", "location", Map.of("name", "P"),
                "collected_by", Map.of("id", "E"), "records",
                List.of(Map.of("material", "PET", "quantity", 1, "unit", "kg", "images", List.of(Map.of("url", url))))));
    }

    @Test
    void whatIngestionAcceptsTheMigrationFetchesAndTheLegacyAllowListIsNotATenants() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_urlit");
             S3ProxyProcess s3proxy = S3ProxyProcess.start(Path.of("target/s3proxy/s3proxy.jar"), Files.createTempDirectory("wharf-urlit-s3"));
             LegacyOrigin outside = LegacyOrigin.start();
             LegacyOrigin legacy = LegacyOrigin.startOn("127.0.0.2")) {
            s3proxy.createBucket(BUCKET);
            byte[] photo = CopyFixtures.bytes(15_000, 950);
            String url = outside.serve("photo.jpg", photo, "ok");
            String internal = legacy.serve("internal.jpg", photo, "ok");
            Map<String, String> settings = new HashMap<>(Map.of("wharf.auth.bootstrap-admin-key", ADMIN, "wharf.copy.enabled", "true",
                    "quarkus.s3.endpoint-override", s3proxy.endpoint(), "quarkus.s3.path-style-access", "true", "wharf.s3.bucket", BUCKET,
                    "quarkus.s3.aws.credentials.static-provider.access-key-id", S3ProxyProcess.ACCESS_KEY,
                    "quarkus.s3.aws.credentials.static-provider.secret-access-key", S3ProxyProcess.SECRET_KEY,
                    "wharf.outbound.allowed-hosts", "127.0.0.1", "wharf.copy.allowed-hosts", "127.0.0.2"));
            settings.putAll(Map.of("wharf.copy.poll-every", "1s", "wharf.copy.backoff-base", "200ms", "wharf.copy.backoff-cap", "1s"));
            // the origins' ports are random: this deployment lets image URLs use them
            Map<String, String> env = Map.of("WHARF_OUTBOUND_ALLOWED_PORTS", "80,443," + outside.port() + "," + legacy.port());
            try (S3Client s3 = s3proxy.client();
                 AppProcess app = AppProcess.start(db, settings, Path.of("").toAbsolutePath(), env).awaitUp(Duration.ofSeconds(90))) {
                var created = app.call("POST", "/api/admin/tenants", ADMIN, "{\"name\":\"urlit\",\"scopes\":[\"client\"]}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String key = JSON.readTree(created.body()).path("apiKey").path("key").asText();

                var accepted = app.call("POST", "/api/integration/bma/transaction", key, transaction("urlit-1", url));
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
                long fileId = JSON.readTree(accepted.body()).path("records").path(0).path("images").path(0).path("file_id").asLong();
                CopyFixtures.await("the job is settled", Duration.ofSeconds(60), () -> (Long) Sql.scalar(db.dataSource(),
                        "SELECT count(*) FROM s3_migration_log WHERE file_id = ? AND migration_status <> 'pending'", fileId) == 1);
                Map<String, Object> job = Sql.rows(db.dataSource(), "SELECT migration_status, failure_reason, error_message, s3_key "
                        + "FROM s3_migration_log WHERE file_id = ?", fileId).get(0);
                assertThat(job).as("accepted at ingestion, so fetched").containsEntry("migration_status", "migrated");
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key((String) job.get("s3_key"))).asByteArray()).isEqualTo(photo);

                var refused = app.call("POST", "/api/integration/bma/transaction", key, transaction("urlit-2", internal));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
                JsonNode problem = JSON.readTree(refused.body());
                assertThat(problem.path("errors").path(0).path("field").asText()).isEqualTo("/records/0/images/0/url");
                assertThat(legacy.hits("internal.jpg")).isZero();
            }
        }
    }
}

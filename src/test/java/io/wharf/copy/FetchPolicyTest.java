package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.awaitSettled;
import static io.wharf.copy.CopyFixtures.bytes;
import static io.wharf.copy.CopyFixtures.jobs;
import static io.wharf.copy.CopyFixtures.profile;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Which policy a fetch runs under: a tenant's image URL, and every redirect from it, never reaches what only the
 * operator's allow-list opens (127.0.0.2 stands for the internal legacy server in %test), another port, or Wharf's
 * own S3 endpoint; the scan's URL of a seed table does reach the legacy server. Legacy URLs are escaped as a browser would.
 */
@QuarkusTest
class FetchPolicyTest extends CopyFixtures {

    static LegacyOrigin internal;

    @ConfigProperty(name = "quarkus.s3.endpoint-override")
    String endpoint;

    @BeforeAll
    static void startInternalOrigin() throws Exception {
        internal = LegacyOrigin.startOn("127.0.0.2");
    }

    @AfterAll
    static void stopInternalOrigin() throws Exception {
        internal.close();
    }

    private static void awaitFiles(DataSource ds, List<Long> ids) throws InterruptedException {
        CopyFixtures.await("the files' jobs are settled", Duration.ofSeconds(60), () -> (Long) Sql.scalar(ds,
                "SELECT count(*) FROM s3_migration_log WHERE file_id = ANY(?) AND migration_status = 'pending'",
                (Object) ids.toArray(Long[]::new)) == 0);
    }

    @Test
    void aTenantsImageRedirectedToTheLegacyServerAnotherPortOrS3IsRefusedWhileTheScanCopiesTheSameUrl() throws Exception {
        String run = UUID.randomUUID().toString();
        byte[] secret = bytes(12_000, 901);
        String secretUrl = internal.serve("payroll-" + run + ".pdf", secret, "ok");
        String someonesKey = "uploads/" + UUID.randomUUID() + "/private-" + run + ".jpg";
        s3.putObject(b -> b.bucket(bucket).key(someonesKey), RequestBody.fromBytes(bytes(3_000, 902)));
        String toLegacy = origin.redirect("innocent-" + run + ".jpg", secretUrl);
        String toPort = origin.redirect("port-" + run + ".jpg", "http://93.184.215.14:8080/a.jpg");
        String toInternal = origin.redirect("web-" + run + ".jpg", "http://127.0.0.2/files/payroll-" + run + ".pdf"); // an allowed port, an internal host
        String toS3 = origin.redirect("s3-" + run + ".jpg", "http://localhost:" + URI.create(endpoint).getPort() + "/" + bucket + "/" + someonesKey);

        TestTenants.TestTenant t = TestTenants.client();
        Map<String, Object> record = Map.of("material", "PET", "quantity", 2, "unit", "kg", "images",
                List.of(Map.of("url", toLegacy), Map.of("url", toPort), Map.of("url", toInternal), Map.of("url", toS3)));
        List<Long> fileIds = t.as().contentType("application/json").body(Map.of("external_transaction_id", "redir-" + run, "transaction_date",
                "2025-11-07", "location", Map.of("name", "P"), "collected_by", Map.of("id", "E"), "records", List.of(record))).when()
                .post("/api/integration/bma/transaction").then().statusCode(201).extract().jsonPath()
                .getList("records[0].images.file_id", Long.class);
        awaitFiles(ds, fileIds);

        List<Map<String, Object>> refused = Sql.rows(ds, "SELECT migration_status, failure_reason, error_message, attempts FROM s3_migration_log "
                + "WHERE file_id = ANY(?)", (Object) fileIds.toArray(Long[]::new));
        assertThat(refused).hasSize(4);
        for (Map<String, Object> j : refused) {
            assertThat(j).as("%s", j).containsEntry("migration_status", "failed").containsEntry("failure_reason", "refused_address")
                    .containsEntry("attempts", 1);
        }
        assertThat(internal.hits("payroll-" + run + ".pdf")).as("the legacy server was never asked").isZero();
        assertThat(Sql.rows(ds, "SELECT DISTINCT source::text AS source FROM files WHERE id = ANY(?)", (Object) fileIds.toArray(Long[]::new)))
                .containsExactly(Map.of("source", "ext"));
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("legacy/files/")).contents())
                .noneMatch(o -> Arrays.equals(object(o.key()), secret));

        // the same URL in a seed table, queued by the operator's scan, may follow the redirect to the legacy server
        UUID p = profile(ds, toLegacy, null, null);
        asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
        awaitSettled(ds, Duration.ofSeconds(60), p);
        Map<String, Object> job = jobs(ds, p).get(0);
        assertThat(job).containsEntry("migration_status", "migrated");
        assertThat(object((String) job.get("s3_key"))).isEqualTo(secret);
    }

    @Test
    void legacyUrlsWithSpacesBracesAndNonAsciiLettersAreEscapedAsABrowserWouldAndCopied() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        byte[] scan = bytes(7_000, 903);
        byte[] report = bytes(9_000, 904);
        // the origin receives what a browser sends: each such character percent-encoded, non-ASCII as UTF-8
        origin.serve("scan%20of%20%7Bq3%7D%7Cfinal%5E" + run + "%C3%A9t%C3%A9.pdf", scan, "ok");
        origin.serve("r%C3%A9sum%C3%A9%20" + run + "%5B1%5D.pdf", report, "ok");
        String raw = "http://127.0.0.1:" + origin.port() + "/files/scan of {q3}|final^" + run + "été.pdf";
        String moved = origin.redirect("moved-" + run + ".pdf", "/files/résumé " + run + "[1].pdf");
        UUID p = profile(ds, raw, null, List.of(moved));
        asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
        awaitSettled(ds, Duration.ofSeconds(60), p);
        assertThat(jobs(ds, p)).hasSize(2);
        for (Map<String, Object> j : jobs(ds, p)) {
            assertThat(j).as("%s", j).containsEntry("migration_status", "migrated");
            assertThat(object((String) j.get("s3_key"))).isEqualTo("avatar_url".equals(j.get("source_column")) ? scan : report);
            assertThat((String) j.get("s3_key")).endsWith(".pdf");
        }
        assertThat(Sql.scalar(ds, "SELECT original_filename FROM user_uploads WHERE s3_key = ?",
                jobs(ds, p).stream().filter(j -> "avatar_url".equals(j.get("source_column"))).findFirst().orElseThrow().get("s3_key")))
                .isEqualTo("scan of {q3}|final^" + run + "été.pdf");
    }
}

package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Seed 001's upload flow through HTTP and a real S3: presigned PUT, completion checked against S3, expiry swept. */
@QuarkusTest
class UploadApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    UploadSweeper sweeper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    static byte[] jpeg(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        b[2] = (byte) 0xFF;
        return b;
    }

    private Map<String, Object> create(TestTenant t, String type, long size) {
        return t.as().contentType("application/json").body(Map.of("upload_type", "document", "original_filename", "report.pdf",
                "content_type", type, "file_size", size)).when().post("/api/uploads").then().statusCode(201)
                .header("Cache-Control", "no-store").extract().as(Map.class);
    }

    @SuppressWarnings("unchecked")
    private static int put(Map<String, Object> created, byte[] bytes, String contentType) throws Exception {
        Map<String, Object> upload = (Map<String, Object>) created.get("upload");
        return HTTP.send(HttpRequest.newBuilder(URI.create((String) upload.get("url"))).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anUploadIsCompleteOnlyWhenS3HoldsTheDeclaredFile() throws Exception {
        TestTenant t = TestTenants.client();
        byte[] pdf = ("%PDF-1.7\n" + "x".repeat(5_000)).getBytes();
        Map<String, Object> created = create(t, "application/pdf", pdf.length);
        String id = (String) created.get("id");
        assertThat((String) created.get("s3_key")).startsWith("uploads/" + t.id() + "/document/" + id).endsWith(".pdf");
        assertThat(created).containsEntry("status", "pending").containsEntry("s3_url",
                "https://" + bucket + ".s3.amazonaws.com/" + created.get("s3_key"));
        assertThat(Sql.rows(ds, "SELECT upload_type, original_filename, file_size, filename FROM user_uploads WHERE id = ?::uuid", id))
                .containsExactly(Map.of("upload_type", "document", "original_filename", "report.pdf", "file_size", (long) pdf.length,
                        "filename", id + ".pdf"));

        // nothing uploaded yet
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(409).body("detail", containsString("PUT the file"));
        // the presigned URL is for exactly this type and size
        assertThat(put(created, pdf, "image/jpeg")).isEqualTo(403);
        assertThat(put(created, pdf, "application/pdf")).isEqualTo(200);
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(200).body("status", equalTo("completed"));
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(200).body("status", equalTo("completed"));
        t.as().when().get("/api/uploads/" + id).then().statusCode(200).body("completed_at", startsWith("20"));

        // another tenant cannot see or complete it
        TestTenant other = TestTenants.client();
        other.as().when().get("/api/uploads/" + id).then().statusCode(404);
        other.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(404);
        other.as().when().get("/api/uploads/not-a-uuid").then().statusCode(404);
    }

    /** The key the presigned PUT writes (path-style URL of the test's S3). */
    @SuppressWarnings("unchecked")
    private String putKey(Map<String, Object> created) {
        String path = URI.create((String) ((Map<String, Object>) created.get("upload")).get("url")).getPath();
        return path.substring(path.indexOf("/" + bucket + "/") + bucket.length() + 2);
    }

    @Test
    void completionComparesSizeTypeAndBytesWithS3() {
        TestTenant t = TestTenants.client();
        // objects written around the presigned URL (as a misbehaving client could), checked at completion
        Map<String, Object> wrongSize = create(t, "image/jpeg", 1_000);
        s3.putObject(b -> b.bucket(bucket).key(putKey(wrongSize)).contentType("image/jpeg"), RequestBody.fromBytes(jpeg(999)));
        t.as().when().post("/api/uploads/" + wrongSize.get("id") + "/complete").then().statusCode(409).body("detail", containsString("999 bytes"));
        Map<String, Object> notJpeg = create(t, "image/jpeg", 1_000);
        s3.putObject(b -> b.bucket(bucket).key(putKey(notJpeg)).contentType("image/jpeg"), RequestBody.fromBytes(new byte[1_000]));
        t.as().when().post("/api/uploads/" + notJpeg.get("id") + "/complete").then().statusCode(415);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE tenant_id = ? AND upload_status = 'completed'", t.id())).isEqualTo(0L);
    }

    @Test
    void aCompletedUploadKeepsItsBytesWhateverIsPutToItsUrlAfterwards() throws Exception {
        TestTenant t = TestTenants.client();
        byte[] checked = jpeg(3_000);
        byte[] later = jpeg(3_000);
        later[100] ^= 1; // a JPEG of the same size, other bytes
        Map<String, Object> created = create(t, "image/jpeg", checked.length);
        String id = (String) created.get("id");
        assertThat(put(created, checked, "image/jpeg")).isEqualTo(200);
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(200).body("status", equalTo("completed"));
        String external = "imm-" + UUID.randomUUID();
        t.as().contentType("application/json").body(Map.of("external_transaction_id", external, "transaction_date", "2025-11-07", "location",
                Map.of("name", "P"), "collected_by", Map.of("id", "E"), "records", List.of(Map.of("material", "PET", "quantity", 1, "unit",
                        "kg", "images", List.of(Map.of("upload_id", id))))))
                .when().post("/api/integration/bma/transaction").then()
                .statusCode(201);
        // the presigned PUT is still valid: the client sends other bytes after the check, and after a transaction used them
        assertThat(put(created, later, "image/jpeg")).isEqualTo(200);
        String download = t.as().when().get("/api/integration/bma/transaction/" + external).then().statusCode(200)
                .extract().path("records[0].images[0].download_url");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(download)).build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .as("the transaction's image").isEqualTo(checked);
        String key = t.as().when().get("/api/uploads/" + id).then().statusCode(200).extract().path("s3_key");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).as("the completed upload's object").isEqualTo(checked);
        assertThat(key).startsWith("uploads/" + t.id() + "/document/" + id).endsWith(".jpg");
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(200).body("s3_key", equalTo(key));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(checked);
    }

    @Test
    void badRequestsAreRefusedByName() {
        TestTenant t = TestTenants.client();
        t.as().contentType("application/json").body(Map.of("upload_type", "selfie", "original_filename", "../../etc/passwd",
                "content_type", "image/jpeg", "file_size", -1)).when().post("/api/uploads").then().statusCode(400)
                .body("errors.field", hasItem("upload_type")).body("errors.field", hasItem("original_filename"))
                .body("errors.field", hasItem("file_size"));
        t.as().contentType("application/json").body(Map.of("upload_type", "image", "original_filename", "a.exe", "content_type",
                "application/x-msdownload", "file_size", 10)).when().post("/api/uploads").then().statusCode(415);
        t.as().contentType("application/json").body(Map.of("upload_type", "image", "original_filename", "a.jpg", "content_type", "image/jpeg",
                "file_size", 2_000_000)).when().post("/api/uploads").then().statusCode(413);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE tenant_id = ?", t.id())).isEqualTo(0L);
    }

    @Test
    void expiredUploadsAreRemovedObjectAndRowButUsedOnesStay() throws Exception {
        TestTenant t = TestTenants.client();
        Map<String, Object> old = create(t, "image/jpeg", 2_000);
        assertThat(put(old, jpeg(2_000), "image/jpeg")).isEqualTo(200);
        Map<String, Object> fresh = create(t, "image/jpeg", 2_000);
        Map<String, Object> recent = create(t, "image/jpeg", 2_000); // expired, but within the grace period
        // a completion that crashed between its copy and its commit left a copy under the upload's id
        String crashed = ((String) old.get("s3_key")).replace(".jpg", "-0123456789abcdef.jpg");
        s3.putObject(b -> b.bucket(bucket).key(crashed), RequestBody.fromBytes(jpeg(2_000)));
        Sql.exec(ds, "UPDATE user_uploads SET expires_at = now() - interval '1 hour' WHERE id = ?::uuid", old.get("id"));
        Sql.exec(ds, "UPDATE user_uploads SET expires_at = now() - interval '1 minute' WHERE id = ?::uuid", recent.get("id"));
        assertThat(sweeper.sweep()).isGreaterThanOrEqualTo(1);
        assertThat(Sql.rows(ds, "SELECT id::text AS id FROM user_uploads WHERE tenant_id = ? ORDER BY created_at", t.id()))
                .extracting(r -> r.get("id")).containsExactly(fresh.get("id"), recent.get("id"));
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix((String) old.get("s3_key"))).contents()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(putKey(old))).contents()).as("the staged bytes too").isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(crashed)).contents()).as("and the unrecorded copy").isEmpty();
        t.as().when().get("/api/uploads/" + old.get("id")).then().statusCode(404);
    }
}

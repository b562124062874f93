package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.inline;
import static io.wharf.bma.BmaFixtures.jpeg;
import static io.wharf.bma.BmaFixtures.png;
import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/** A partner's whole flow: every kind of image becomes a files row referenced by id, and the seed's SQL finds them. */
@QuarkusTest
class BmaIngestTest {

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @ConfigProperty(name = "quarkus.s3.endpoint-override")
    String endpoint;

    @Test
    void everyKindOfImageBecomesAFilesRowReferencedById() throws Exception {
        TestTenant t = TestTenants.client();
        byte[] uploaded = jpeg(40_000, 1);
        String uploadId = Uploads.completed(t, uploaded, "image/jpeg");
        String uploadKey = (String) t.as().when().get("/api/uploads/" + uploadId).then().statusCode(200).extract().path("s3_key");
        byte[] photo = png(30_000, 2);
        String external = "http://127.0.0.1:9/legacy/photos/2025/11/07/a.jpg";
        String ownUrl = endpoint + "/" + bucket + "/" + uploadKey; // the object of the upload, by its path-style URL
        String id = BmaFixtures.newId();
        Map<String, Object> body = transaction(id, List.of(
                record("PET bottles", 12.5, List.of(url(external), Map.of("upload_id", uploadId))),
                record("Aluminium cans", 3, List.of(inline(photo, "image/png"), url(ownUrl)))));

        JsonPath created = t.as().contentType("application/json").body(body).when().post("/api/integration/bma/transaction")
                .then().statusCode(201).header("Location", Matchers.endsWith("/api/integration/bma/transaction/" + id))
                .body("external_transaction_id", equalTo(id)).body("records[0].quantity", equalTo(12.5f))
                .extract().jsonPath();
        List<Integer> fileIds = created.getList("records.images.flatten().file_id");
        assertThat(fileIds).hasSize(4).doesNotHaveDuplicates();
        assertThat(created.getList("records.images.flatten().source")).containsExactly("ext", "s3", "s3", "s3");

        // each record's images column holds file ids only, in the posted order
        List<Map<String, Object>> records = Sql.rows(ds, "SELECT r.id, r.images::text AS images FROM transaction_records r JOIN transactions x "
                + "ON x.id = r.transaction_id WHERE x.tenant_id = ? ORDER BY r.record_index", t.id());
        assertThat(records).extracting(r -> r.get("images")).containsExactly("[" + fileIds.get(0) + ", " + fileIds.get(1) + "]",
                "[" + fileIds.get(2) + ", " + fileIds.get(3) + "]");

        // the files rows: what each kind of image became
        List<Map<String, Object>> files = Sql.rows(ds, "SELECT id, source::text AS source, url, s3_bucket, s3_key, size_bytes, checksum_sha256, "
                + "observation->>'material' AS material, related_entity_type, related_entity_id, file_type FROM files WHERE tenant_id = ? ORDER BY id",
                t.id());
        assertThat(files).extracting(f -> f.get("file_type") + ":" + f.get("related_entity_type"))
                .containsOnly("transaction_record_image:transaction_record");
        assertThat(files.get(0)).containsEntry("source", "ext").containsEntry("url", external).containsEntry("s3_key", null)
                .containsEntry("related_entity_id", records.get(0).get("id")).containsEntry("material", "PET bottles");
        assertThat(files.get(1)).containsEntry("source", "s3").containsEntry("s3_key", uploadKey).containsEntry("size_bytes", 40_000L)
                .containsEntry("url", "https://" + bucket + ".s3.amazonaws.com/" + uploadKey);
        String inlineKey = (String) files.get(2).get("s3_key");
        assertThat(inlineKey).startsWith("ingest/" + t.id() + "/");
        assertThat(files.get(2)).containsEntry("size_bytes", 30_000L).containsEntry("related_entity_id", records.get(1).get("id"))
                .containsEntry("checksum_sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(photo)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(inlineKey)).asByteArray()).isEqualTo(photo);
        assertThat(s3.headObject(b -> b.bucket(bucket).key(inlineKey)).contentType()).isEqualTo("image/png");
        assertThat(files.get(3)).containsEntry("source", "s3").containsEntry("s3_key", uploadKey);

        // the external image waits for the migration, as a job that points at its files row
        assertThat(Sql.rows(ds, "SELECT table_name, source_column, old_url, migration_status, record_id = files_record_uuid(file_id) AS derived "
                + "FROM s3_migration_log WHERE file_id = ?", ((Number) fileIds.get(0)).longValue()))
                .containsExactly(Map.of("table_name", "files", "source_column", "url", "old_url", external, "migration_status", "pending",
                        "derived", true));
        // the upload is permanent now
        assertThat(Sql.scalar(ds, "SELECT expires_at FROM user_uploads WHERE id = ?::uuid", uploadId)).isNull();

        // seed 000's Step 5, verbatim
        List<Map<String, Object>> step5 = Sql.rows(ds, """
                SELECT
                    f.id,
                    f.source,
                    f.file_type,
                    LEFT(f.url, 80) AS url,
                    tr.id AS transaction_record_id,
                    t.id AS transaction_id
                FROM files f
                LEFT JOIN transaction_records tr ON f.related_entity_id = tr.id
                    AND f.related_entity_type = 'transaction_record'
                LEFT JOIN transactions t ON tr.transaction_id = t.id
                WHERE f.file_type = 'transaction_record_image'
                ORDER BY f.created_at DESC
                LIMIT 10;
                """);
        long txId = created.getLong("transaction_id");
        assertThat(step5).filteredOn(r -> fileIds.stream().anyMatch(f -> ((Number) f).longValue() == (Long) r.get("id")))
                .hasSize(4).allSatisfy(r -> assertThat(r.get("transaction_id")).isEqualTo(txId));
        assertThat(Sql.rows(ds, """
                SELECT
                    t.id AS transaction_id,
                    t.external_transaction_id,
                    COUNT(tr.id) AS record_count
                FROM transactions t
                LEFT JOIN transaction_records tr ON tr.transaction_id = t.id
                WHERE t.created_at > NOW() - INTERVAL '1 hour'
                GROUP BY t.id, t.external_transaction_id
                ORDER BY t.created_at DESC;
                """)).contains(Map.of("transaction_id", txId, "external_transaction_id", id, "record_count", 2L));

        // the partner reads it back: S3 images with a presigned URL that serves the very bytes
        JsonPath read = t.as().when().get("/api/integration/bma/transaction/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(read.getList("records.images.flatten().file_id")).isEqualTo(fileIds);
        assertThat(read.getString("records[0].images[0].download_url")).isNull();
        assertThat(Uploads.get(read.getString("records[1].images[0].download_url"))).isEqualTo(photo);
        assertThat(Uploads.get(read.getString("records[0].images[1].download_url"))).isEqualTo(uploaded);
        t.as().when().get("/api/files/" + fileIds.get(2)).then().statusCode(200).body("source", equalTo("s3"))
                .body("related_entity_type", equalTo("transaction_record")).body("download_url", startsWith(endpoint));

        // the audit trail has the transaction, written with it
        asAdmin().queryParam("tenantId", t.id()).queryParam("resourceType", "bma_transaction").when().get("/api/admin/audit").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("items[0].resourceId", equalTo(id));
        // another tenant sees none of it
        TestTenant other = TestTenants.client();
        other.as().when().get("/api/integration/bma/transaction/" + id).then().statusCode(404);
        other.as().when().get("/api/files/" + fileIds.get(2)).then().statusCode(404);
        other.as().when().get("/api/integration/bma/transactions").then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void transactionsAreListedNewestFirstInPages() {
        TestTenant t = TestTenants.client();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "list-" + i;
            ids.add(0, id);
            t.as().contentType("application/json").body(transaction(id, List.of(record("Glass", i + 1, List.of())))).when()
                    .post("/api/integration/bma/transaction").then().statusCode(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var req = t.as().queryParam("limit", 2);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonPath page = req.when().get("/api/integration/bma/transactions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.external_transaction_id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).isEqualTo(ids);
        t.as().queryParam("cursor", "bm90LWEtY3Vyc29y").when().get("/api/integration/bma/transactions").then().statusCode(400);
        t.as().queryParam("limit", "0").when().get("/api/integration/bma/transactions").then().statusCode(400);
    }
}

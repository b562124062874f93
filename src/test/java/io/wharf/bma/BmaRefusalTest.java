package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.inline;
import static io.wharf.bma.BmaFixtures.jpeg;
import static io.wharf.bma.BmaFixtures.png;
import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/** Every refusal names each offending field by JSON Pointer, and leaves no row and no object behind. */
@QuarkusTest
class BmaRefusalTest {

    private static final String POST = "/api/integration/bma/transaction";

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    private ValidatableResponse post(TestTenant t, Object body, int status) {
        ValidatableResponse r = t.as().contentType("application/json").body(body).when().post(POST).then().statusCode(status)
                .contentType("application/problem+json");
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
        return r;
    }

    @Test
    void everyInvalidFieldIsNamedAndNothingIsStored() {
        TestTenant t = TestTenants.client();
        Map<String, Object> bad = transaction(BmaFixtures.newId(), List.of(
                record("PET", -1, List.of(inline(jpeg(2_000, 1), "image/jpeg"))),
                record("Cans", "12", List.of(url("ftp://files.example/a.jpg"), Map.of("data", "not base64!", "content_type", "image/jpeg"),
                        url("http://10.1.2.3/internal.jpg"), url("http://[::1]:8080/x.jpg")))));
        bad.put("transaction_date", "07/11/2025");
        bad.put("surprise", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) ((List<?>) bad.get("records")).get(1);
        second.put("unit", "bags");
        second.put("colour", "blue");
        post(t, bad, 400).body("type", equalTo("https://wharf.io/problems/validation-failed")).body("errors.field",
                hasItems("/records/0/quantity", "/records/1/quantity", "/records/1/unit", "/records/1/colour", "/records/1/images/0/url",
                        "/records/1/images/1/data", "/transaction_date", "/surprise"))
                .body("errors.find { it.field == '/records/1/quantity' }.message", containsString("number"));
        // URLs are checked only once the fields are right: then each refused host is named too
        Map<String, Object> urls = transaction(BmaFixtures.newId(), List.of(record("Cans", 1, List.of(url("http://10.1.2.3/internal.jpg"),
                url("http://[::1]:8080/x.jpg"), url("http://127.0.0.1:9/fine.jpg"), url("http://169.254.169.254/latest/meta-data")))));
        post(t, urls, 400).body("errors.field", equalTo(List.of("/records/0/images/0/url", "/records/0/images/1/url", "/records/0/images/3/url")))
                .body("errors[0].message", containsString("internal address"));
    }

    @Test
    void missingPartsAndWrongShapesAreNamed() throws Exception {
        TestTenant t = TestTenants.client();
        post(t, Map.of("external_transaction_id", "x"), 400).body("errors.field",
                hasItems("/transaction_date", "/location", "/collected_by", "/records"));
        Map<String, Object> shapes = transaction("shapes", List.of(record("PET", 1, List.of(Map.of(), Map.of("url", "http://127.0.0.1:9/a.jpg",
                "upload_id", UUID.randomUUID().toString()), Map.of("upload_id", "not-a-uuid"),
                Map.of("url", "http://127.0.0.1:9/a.jpg",
                        "content_type", "image/png")))));
        post(t, shapes, 400).body("errors.field", hasItems("/records/0/images/0", "/records/0/images/1", "/records/0/images/2/upload_id",
                "/records/0/images/3/content_type"));
        // a field name with '/' or '~' is escaped in its pointer (RFC 6901)
        Map<String, Object> escaped = transaction("escaped", List.of(record("PET", 1, List.of())));
        escaped.put("a/b~c", 1);
        post(t, escaped, 400).body("errors.field", hasItem("/a~1b~0c"));
        // not JSON, not an object, a field twice, nothing at all
        for (String body : List.of("{\"external_transaction_id\": ", "[1, 2]", "{\"notes\": \"a\", \"notes\": \"b\"}", "")) {
            t.as().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).when().post(POST).then().statusCode(400)
                    .contentType("application/problem+json");
        }
        t.as().contentType("text/plain").body("hello").when().post(POST).then().statusCode(415);
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
    }

    @Test
    void imageTypesAreCheckedFromTheirBytes() {
        TestTenant t = TestTenants.client();
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        post(t, transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(inline(html, "image/png"), inline(png(3_000, 2), "image/jpeg"))))),
                415).body("type", equalTo("https://wharf.io/problems/unsupported-media-type"))
                .body("errors.field", equalTo(List.of("/records/0/images/0/data", "/records/0/images/1/data")))
                .body("errors[1].message", containsString("image/png"));
        post(t, transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(inline(jpeg(3_000, 2), "image/gif"))))), 415)
                .body("errors[0].field", equalTo("/records/0/images/0/content_type"));
    }

    @Test
    void limitsAnswer413() throws Exception {
        TestTenant t = TestTenants.client();
        // %test limits: 300K per image, 5 images per record, 20 records, 1500K per body
        post(t, transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(inline(jpeg(310_000, 1), "image/jpeg"))))), 413)
                .body("errors[0].field", equalTo("/records/0/images/0/data"));
        List<Map<String, Object>> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(url("http://127.0.0.1:9/" + i + ".jpg"));
        }
        post(t, transaction(BmaFixtures.newId(), List.of(record("PET", 1, six))), 413).body("errors[0].field", equalTo("/records/0/images"));
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            records.add(record("PET", 1, List.of()));
        }
        post(t, transaction(BmaFixtures.newId(), records), 413).body("errors[0].field", equalTo("/records"));
        List<Map<String, Object>> big = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            big.add(record("PET", 1, List.of(inline(jpeg(290_000, i), "image/jpeg"))));
        }
        t.as().contentType("application/json").body(mapper.writeValueAsBytes(transaction(BmaFixtures.newId(), big))).when().post(POST).then()
                .statusCode(413).contentType("application/problem+json");
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
    }

    @Test
    void uploadsAndBucketUrlsMustBeTheTenantsOwnAndReady() throws Exception {
        TestTenant owner = TestTenants.client();
        TestTenant t = TestTenants.client();
        String othersUpload = Uploads.completed(owner, jpeg(2_000, 5), "image/jpeg");
        String othersKey = owner.as().when().get("/api/uploads/" + othersUpload).then().extract().path("s3_key");
        Map<String, Object> pending = Uploads.create(t, "image/jpeg", 2_000);
        String expired = Uploads.completed(t, jpeg(2_000, 6), "image/jpeg");
        Sql.exec(ds, "UPDATE user_uploads SET expires_at = now() - interval '1 minute' WHERE id = ?::uuid", expired);
        String ownMissing = "https://" + bucket + ".s3.amazonaws.com/uploads/" + t.id() + "/image/" + UUID.randomUUID() + ".jpg";
        Map<String, Object> body = transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(Map.of("upload_id", othersUpload),
                Map.of("upload_id", pending.get("id")), Map.of("upload_id", expired), url("https://" + bucket + ".s3.amazonaws.com/" + othersKey),
                url(ownMissing)))));
        post(t, body, 400).body("errors.field", equalTo(List.of("/records/0/images/0/upload_id", "/records/0/images/1/upload_id",
                "/records/0/images/2/upload_id", "/records/0/images/3/url", "/records/0/images/4/url")))
                .body("errors[1].message", containsString("not complete")).body("errors[2].message", containsString("expired"))
                .body("errors[3].message", containsString("outside this tenant"));
        // the other tenant's upload is untouched
        assertThat(Sql.scalar(ds, "SELECT expires_at IS NOT NULL FROM user_uploads WHERE id = ?::uuid", othersUpload)).isEqualTo(true);
    }

    @Test
    void hostileValuesAreRefusedByNameAndStillLogged() throws Exception {
        TestTenant t = TestTenants.client();
        String huge = "{\"external_transaction_id\": \"h1\", \"transaction_date\": \"2025-11-07\", \"location\": {\"name\": \"P\", \"latitude\": 1e400}, "
                + "\"collected_by\": {\"id\": \"E\"}, \"records\": [{\"material\": \"PET\", \"quantity\": 1e400, \"unit\": \"kg\", \"price\": -1e400, "
                + "\"observation\": {\"n\": 1e-100000, \"s\": \"a\\u0000b\", \"k\\u0000\": 1}}], \"x\\u0000\": 1}";
        t.as().contentType("application/json").body(huge.getBytes(StandardCharsets.UTF_8)).when().post(POST).then().statusCode(400)
                .body("errors.field", hasItems("/location/latitude", "/records/0/quantity", "/records/0/price", "/records/0/observation/n",
                        "/records/0/observation/s", "/records/0/observation/k\u0000", "/x\u0000"));
        StringBuilder cjk = new StringBuilder("http://127.0.0.1:9/");
        for (int i = 0; i < 1000; i++) {
            cjk.append('\u6f22');
        }
        // refused as they are written
        Map<String, Object> written = transaction("h2", List.of(record("PET", 1, List.of(url(cjk.toString()), url("http://0x7f.1/a.jpg"),
                url("https://evil." + bucket + ".s3.amazonaws.com/x.jpg")))));
        post(t, written, 400).body("errors.field", equalTo(List.of("/records/0/images/0/url", "/records/0/images/1/url", "/records/0/images/2/url")))
                .body("errors[0].message", containsString("bytes"));
        // refused once the fields are right: hosts and bucket objects
        Map<String, Object> vetted = transaction("h3",
                List.of(record("PET", 1, List.of(url("http://0177.0.0.1/a.jpg"), url("http://2130706433/a.jpg"))),
                        record("Cans", 1, List.of(url("https://" + bucket + ".s3.amazonaws.com./uploads/" + UUID.randomUUID() + "/image/x.jpg"),
                                url("https://" + bucket + ".s3-fips.us-east-1.amazonaws.com/uploads/" + UUID.randomUUID() + "/image/x.jpg")))));
        post(t, vetted, 400).body("errors.field", equalTo(List.of("/records/0/images/0/url", "/records/0/images/1/url", "/records/1/images/0/url",
                "/records/1/images/1/url"))).body("errors[2].message", containsString("outside this tenant"))
                .body("errors[3].message", containsString("outside this tenant"));
        post(t, transaction("..", List.of(record("PET", 1, List.of()))), 400).body("errors[0].field", equalTo("/external_transaction_id"));
        t.as().contentType("text/plain").body("hello").when().post(POST).then().statusCode(415).contentType("application/problem+json");
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
        // every one of those calls has its action log row, NUL characters and all
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM action_logs WHERE tenant_id = ? AND action_type = 'bma_transaction' AND status = 'failure'",
                t.id())).isEqualTo(5L);
        // an offset PostgreSQL does not take is the same instant in UTC
        Map<String, Object> far = transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())));
        far.put("transaction_date", "2025-11-07T09:30:00+18:00");
        t.as().contentType("application/json").body(far).when().post(POST).then().statusCode(201)
                .body("transaction_date", equalTo("2025-11-06T15:30:00Z"));
    }

    @Test
    void anUploadUsedByItsUrlObeysTheUploadRules() throws Exception {
        TestTenant t = TestTenants.client();
        Map<String, Object> pending = Uploads.create(t, "image/png", 20);
        assertThat(Uploads.put(pending, "<html>not a png!!!!!".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
        String url = "https://" + bucket + ".s3.amazonaws.com/" + pending.get("s3_key");
        post(t, transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(url(url))))), 400).body("errors[0].field",
                equalTo("/records/0/images/0/url")).body("errors[0].message", containsString("not complete"));
        String done = Uploads.completed(t, png(3_000, 4), "image/png");
        String doneKey = t.as().when().get("/api/uploads/" + done).then().extract().path("s3_key");
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(url("https://" + bucket
                + ".s3.amazonaws.com/" + doneKey)))))).when().post(POST).then().statusCode(201);
        assertThat(Sql.scalar(ds, "SELECT expires_at FROM user_uploads WHERE id = ?::uuid", done)).isNull(); // claimed, as by its id
    }

    @Test
    void aDatabaseFailureAfterTheUploadLeavesNoObjectAndNoRow() throws Exception {
        TestTenant t = TestTenants.client();
        // the database refuses the records of this material, after the images were written to S3
        Sql.exec(ds, """
                CREATE OR REPLACE FUNCTION test_refuse_records() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.record_data->>'material' = 'explode' THEN RAISE EXCEPTION 'disk on fire'; END IF;
                    RETURN NEW;
                END $$""");
        Sql.exec(ds, "CREATE TRIGGER test_refuse_records BEFORE INSERT ON transaction_records FOR EACH ROW EXECUTE FUNCTION test_refuse_records()");
        try {
            Map<String, Object> body = transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of(inline(jpeg(50_000, 7), "image/jpeg"))),
                    record("explode", 1, List.of(inline(png(40_000, 8), "image/png"), url("http://127.0.0.1:9/x.jpg")))));
            t.as().contentType("application/json").body(body).when().post(POST).then().statusCode(500).contentType("application/problem+json");
        } finally {
            Sql.exec(ds, "DROP TRIGGER test_refuse_records ON transaction_records");
            Sql.exec(ds, "DROP FUNCTION test_refuse_records()");
        }
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM ingest_pending_objects")).isEqualTo(0L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE tenant_id = ? AND resource_type = 'bma_transaction'", t.id())).isEqualTo(0L);
    }

    @Test
    void everyCallIsInTheActionLogWithImageBytesReplacedBySizeAndHash() throws Exception {
        TestTenant t = TestTenants.client();
        byte[] photo = jpeg(8_000, 11);
        String id = BmaFixtures.newId();
        t.as().contentType("application/json").body(transaction(id, List.of(record("PET", 1, List.of(inline(photo, "image/jpeg")))))).when()
                .post(POST)
                .then().statusCode(201);
        t.as().contentType("application/json")
                .body(transaction(BmaFixtures.newId(), List.of(record("PET", -5, List.of(inline(photo, "image/jpeg"))))))
                .when().post(POST).then().statusCode(400);
        t.as().contentType("application/json").body("{oops".getBytes(StandardCharsets.UTF_8)).when().post(POST).then().statusCode(400);
        List<Map<String, Object>> logs = Sql.rows(ds,
                "SELECT status::text AS status, request_payload::text AS request, response_data::text AS response "
                        + "FROM action_logs WHERE tenant_id = ? AND action_type = 'bma_transaction' ORDER BY created_at",
                t.id());
        assertThat(logs).extracting(l -> l.get("status")).containsExactly("success", "failure", "failure");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(photo));
        for (int i = 0; i < 2; i++) {
            Map<?, ?> image = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) mapper.readValue((String) logs.get(i).get("request"), Map.class)
                    .get("records")).get(0)).get("images")).get(0);
            assertThat(image.get("data")).isEqualTo(new LinkedHashMap<>(Map.of("bytes", 8_000, "sha256", sha)));
        }
        assertThat((String) logs.get(0).get("response")).contains("\"file_ids\"");
        assertThat((String) logs.get(1).get("response")).contains("/records/0/quantity");
        assertThat((String) logs.get(2).get("request")).contains("unparsed_body");
    }
}

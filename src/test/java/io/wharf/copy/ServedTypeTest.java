package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;

/**
 * What a migrated file is served as: the type its bytes are, whatever the legacy server said. HTML (a page that
 * would run in the bucket's origin) is stored as application/octet-stream and its download URL makes browsers
 * save it; an image is shown as the image it is. Answers carrying download URLs are not cached.
 */
@QuarkusTest
class ServedTypeTest extends CopyFixtures {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void migratedFilesAreStoredAndServedAsWhatTheirBytesAre() throws Exception {
        TestTenants.TestTenant t = TestTenants.client();
        byte[] page = "<html><body><script>alert(document.cookie)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        byte[] png = CopyFixtures.bytes(5_000, 5);
        System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A }, 0, png, 0, 8);
        String pageUrl = origin.serve("served-page.html", page, "html");
        String pngUrl = origin.serve("served-photo.jpg", png, "ok"); // announced as image/jpeg
        String external = "served-" + UUID.randomUUID();
        Map<String, Object> record = Map.of("material", "PET", "quantity", 1, "unit", "kg", "images",
                List.of(Map.of("url", pageUrl), Map.of("url", pngUrl)));
        t.as().contentType("application/json").body(Map.of("external_transaction_id", external, "transaction_date", "2025-11-07", "location",
                Map.of("name", "P"), "collected_by", Map.of("id", "E"), "records", List.of(record))).when()
                .post("/api/integration/bma/transaction").then().statusCode(201);
        await("both files are in S3", Duration.ofSeconds(20), () -> (Long) Sql.scalar(ds,
                "SELECT count(*) FROM files WHERE tenant_id = ? AND source = 's3'", t.id()) == 2);
        long pageId = (Long) Sql.scalar(ds, "SELECT f.id FROM files f JOIN s3_migration_log j ON j.file_id = f.id WHERE j.old_url = ?", pageUrl);
        long pngId = (Long) Sql.scalar(ds, "SELECT f.id FROM files f JOIN s3_migration_log j ON j.file_id = f.id WHERE j.old_url = ?", pngUrl);

        // every expectation is checked, so that a failure shows all that is served wrong
        SoftAssertions soft = new SoftAssertions();
        ExtractableResponse<Response> pageFile = t.as().when().get("/api/files/" + pageId).then().statusCode(200).extract();
        soft.assertThat(pageFile.header("Cache-Control")).as("GET /api/files Cache-Control").isEqualTo("no-store");
        soft.assertThat(pageFile.<String>path("content_type")).as("the HTML file's content_type").isEqualTo("application/octet-stream");
        String pageKey = pageFile.path("s3_key");
        soft.assertThat(s3.headObject(b -> b.bucket(bucket).key(pageKey)).contentType()).as("the HTML object's type")
                .isEqualTo("application/octet-stream");
        HttpResponse<byte[]> pageDownload = get(pageFile.path("download_url"));
        soft.assertThat(pageDownload.body()).isEqualTo(page);
        soft.assertThat(pageDownload.headers().firstValue("Content-Disposition")).as("the HTML download's Content-Disposition")
                .hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
        soft.assertThat(pageDownload.headers().firstValue("Content-Type")).as("the HTML download's Content-Type")
                .hasValue("application/octet-stream");

        ExtractableResponse<Response> pngFile = t.as().when().get("/api/files/" + pngId).then().statusCode(200).extract();
        soft.assertThat(pngFile.<String>path("content_type")).as("the PNG file's content_type").isEqualTo("image/png");
        soft.assertThat(pngFile.<String>path("s3_key")).endsWith(".png");
        HttpResponse<byte[]> pngDownload = get(pngFile.path("download_url"));
        soft.assertThat(pngDownload.body()).isEqualTo(png);
        soft.assertThat(pngDownload.headers().firstValue("Content-Type")).as("the PNG download's Content-Type").hasValue("image/png");
        soft.assertThat(pngDownload.headers().firstValue("Content-Disposition")).as("the PNG download's Content-Disposition").isEmpty();

        soft.assertThat(t.as().when().get("/api/integration/bma/transaction/" + external).then().statusCode(200).extract().header("Cache-Control"))
                .as("GET transaction Cache-Control").isEqualTo("no-store");
        soft.assertAll();
    }

    private static HttpResponse<byte[]> get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }
}

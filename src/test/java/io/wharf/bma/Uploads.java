package io.wharf.bma;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

import io.wharf.testing.TestTenants.TestTenant;

/** The presigned upload flow as a client runs it: create, PUT the bytes to S3 with the signed headers, complete. */
final class Uploads {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Headers java.net.http sets itself. */
    private static final Set<String> RESTRICTED = Set.of("content-length", "host");

    private Uploads() {
    }

    static Map<String, Object> create(TestTenant t, String contentType, long size) {
        return t.as().contentType("application/json")
                .body(Map.of("upload_type", "image", "original_filename", "photo 1.jpg", "content_type", contentType, "file_size", size))
                .when().post("/api/uploads").then().statusCode(201).extract().as(Map.class);
    }

    @SuppressWarnings("unchecked")
    static int put(Map<String, Object> created, byte[] bytes) throws Exception {
        Map<String, Object> upload = (Map<String, Object>) created.get("upload");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create((String) upload.get("url"))).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        ((Map<String, String>) upload.get("headers")).forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase())) {
                b.header(k, v);
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** A completed upload of these bytes; its id. */
    static String completed(TestTenant t, byte[] bytes, String contentType) throws Exception {
        Map<String, Object> created = create(t, contentType, bytes.length);
        assertThat(put(created, bytes)).isEqualTo(200);
        String id = (String) created.get("id");
        t.as().when().post("/api/uploads/" + id + "/complete").then().statusCode(200);
        return id;
    }
}

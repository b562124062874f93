package io.wharf.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;

/**
 * Quarkus REST ignores matrix parameters when it matches a route, so a document route spelled with one
 * (or percent-encoded) is still a document route: its body limit must hold however the path is written,
 * with or without Content-Length. Sent with java.net.http so that the path reaches the server as written.
 */
@QuarkusTest
class DocumentBodyMatrixTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Broken JSON over the 1M document limit and under the test profile's 2M service-wide limit: 413 means it was never parsed. */
    private static final String BIG = "{" + "x".repeat(1_500_000);

    private static HttpResponse<String> send(TestTenant t, String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + t.key()).header("Content-Type", "application/json").method(method, body).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyDocumentRouteRefusesAnOversizedBodyWhateverItsPathLooksLike() throws Exception {
        TestTenant t = TestTenants.client();
        List<String[]> routes = List.of(
                new String[] { "POST", "/connector/profiles;x=1" },
                new String[] { "PUT", "/connector/profiles;x=1/p1" },
                new String[] { "PUT", "/connector/profiles/p1;x=1" },
                new String[] { "POST", "/connector;x=1/profiles" },
                new String[] { "POST", "/demo/clients;x=1" },
                new String[] { "PUT", "/demo/clients;x=1/c1" },
                new String[] { "POST", "/demo;a/clients" },
                new String[] { "POST", "/demo/proposals;x=1" },
                new String[] { "PUT", "/demo/proposals;a/p1" },
                new String[] { "POST", "/demo/proposal%73" },
                new String[] { "POST", "/demo/clients/" });
        for (String[] route : routes) {
            HttpResponse<String> r = send(t, route[0], route[1], HttpRequest.BodyPublishers.ofString(BIG));
            assertThat(r.statusCode()).as("%s %s with Content-Length: %s", route[0], route[1], r.body()).isEqualTo(413);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(r.body()).contains("https://wharf.io/problems/payload-too-large");
            // chunked, without Content-Length
            HttpResponse<String> chunked = send(t, route[0], route[1],
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(BIG.getBytes())));
            assertThat(chunked.statusCode()).as("%s %s chunked: %s", route[0], route[1], chunked.body()).isEqualTo(413);
        }
    }

    @Test
    void aDocumentUnderTheLimitStillPassesWithAMatrixParameter() throws Exception {
        TestTenant t = TestTenants.client();
        String body = "{\"client_id\": \"m1\", \"client_name\": \"C\", \"license_type\": \"basic\", \"preferences\": {\"pad\": \""
                + "p".repeat(900_000) + "\"}}";
        HttpResponse<String> r = send(t, "POST", "/demo/clients;x=1", HttpRequest.BodyPublishers.ofString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}

package io.wharf.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The request goes to the vetted address and names the host it was given; the name is never resolved again. */
class PinnedHttpGetTest {

    @Test
    void connectsToTheVettedAddressNotToTheName() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String[] seen = new String[2];
        http.createContext("/", ex -> {
            seen[0] = ex.getRequestHeaders().getFirst("Host");
            seen[1] = ex.getRequestURI().toString();
            byte[] body = "hello".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.setExecutor(Executors.newSingleThreadExecutor());
        http.start();
        try {
            int port = http.getAddress().getPort();
            // .invalid never resolves (RFC 6761): only the pinned address can have been used
            URI uri = URI.create("http://api.wharf-test.invalid:" + port + "/v1/ping?a=b%26c");
            PinnedHttpGet.Response r = PinnedHttpGet.get(uri, InetAddress.getByName("127.0.0.1"), null, System.nanoTime() + 5_000_000_000L,
                    1024, SSLContext.getDefault().getSocketFactory());
            assertThat(r.status()).isEqualTo(200);
            assertThat(seen[0]).isEqualTo("api.wharf-test.invalid:" + port);
            assertThat(seen[1]).isEqualTo("/v1/ping?a=b%26c");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void redirectRules() {
        URI origin = URI.create("https://api.example.com/x");
        assertThat(ApiConnectionTester.sameOrigin(origin, URI.create("https://API.example.com:443/y"))).isTrue();
        assertThat(ApiConnectionTester.sameOrigin(origin, URI.create("https://api.example.com:8443/x"))).isFalse();
        assertThat(ApiConnectionTester.sameOrigin(origin, URI.create("https://evil.example.com/x"))).isFalse();
        assertThat(ApiConnectionTester.sameOrigin(origin, URI.create("http://api.example.com/x"))).isFalse();
        assertThat(ApiConnectionTester.isDowngrade(origin, URI.create("http://api.example.com/x"))).isTrue();
        assertThat(ApiConnectionTester.isDowngrade(URI.create("http://a.com/"), URI.create("https://a.com/"))).isFalse();
    }
}

package io.wharf.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** The request goes to the vetted address and names the host it was given; the name is never resolved again. */
@Tag("unit")
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

    /** Pinned to 127.0.0.1, TLS still checks the certificate against the name in the URL (keytool makes one for a .invalid name). */
    @Test
    void tlsIsVerifiedAgainstTheNameWhileConnectingToThePinnedAddress(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=api.wharf-test.invalid",
                "-ext", "SAN=dns:api.wharf-test.invalid", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore keys = KeyStore.getInstance(store.toFile(), "changeit".toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("srv", keys.getCertificate("srv"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        https.setExecutor(Executors.newCachedThreadPool());
        https.start();
        try {
            int port = https.getAddress().getPort();
            InetAddress pinned = InetAddress.getByName("127.0.0.1");
            long deadline = System.nanoTime() + 5_000_000_000L;
            assertThat(PinnedHttpGet.get(URI.create("https://api.wharf-test.invalid:" + port + "/"), pinned, "Bearer t", deadline, 1024,
                    clientTls.getSocketFactory()).status()).isEqualTo(204);
            // the absolute form of the name: on the old code SNIHostName threw IllegalArgumentException (a 500)
            assertThat(PinnedHttpGet.get(URI.create("https://api.wharf-test.invalid.:" + port + "/"), pinned, null, deadline, 1024,
                    clientTls.getSocketFactory()).status()).isEqualTo(204);
            assertThatThrownBy(() -> PinnedHttpGet.get(URI.create("https://api.wharf-test.invalid:70000/"), pinned, null, deadline, 1024,
                    clientTls.getSocketFactory())).as("port out of range").isInstanceOf(IOException.class)
                    .hasMessageContaining("from 1 to 65535");
            assertThatThrownBy(() -> PinnedHttpGet.get(URI.create("https://other.wharf-test.invalid:" + port + "/"), pinned, "Bearer t",
                    deadline, 1024, clientTls.getSocketFactory())).as("certificate for another name").isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> PinnedHttpGet.get(URI.create("https://127.0.0.1:" + port + "/"), pinned, null, deadline, 1024,
                    clientTls.getSocketFactory())).as("certificate without the address").isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> PinnedHttpGet.get(URI.create("https://api.wharf-test.invalid:" + port + "/"), pinned, null, deadline,
                    1024, SSLContext.getDefault().getSocketFactory())).as("self-signed, not in the JVM's trust store")
                    .isInstanceOf(SSLException.class);
        } finally {
            https.stop(0);
        }
    }
}

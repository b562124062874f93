package io.wharf.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;

/**
 * A body over the service-wide ceiling (quarkus.http.limits.max-body-size) sent without Content-Length, so that
 * only reading it finds out: every route answers a problem document, and the log gets no stack trace and no
 * more than one WARN line per request.
 */
@QuarkusTest
class BodyCeilingTest {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize ceiling;

    /** Records what the application logs while the requests run. */
    static final class Capture extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** A JSON object that never ends before {@code bytes} bytes have gone out, sent in chunks. */
    private static InputStream endless(long bytes) {
        return new InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ == 0 ? '{' : sent > bytes ? -1 : ' ';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= bytes) {
                    return -1;
                }
                int n = (int) Math.min(len, bytes - sent);
                Arrays.fill(b, off, off + n, (byte) ' ');
                if (sent == 0) {
                    b[off] = '{';
                }
                sent += n;
                return n;
            }
        };
    }

    @Test
    void aChunkedBodyOverTheCeilingIsAProblemAndNoStackTrace() throws Exception {
        TestTenant t = TestTenants.client();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ObjectMapper json = new ObjectMapper();
        Capture capture = new Capture();
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        // Not an unknown route: there the 404 goes out before any of the body is read and the server closes the
        // connection with the body still arriving, so the client may lose the answer to a reset (HTTP/1's early-answer race).
        List<String> paths = List.of("/api/integration/bma/transaction", "/api/uploads", "/api/admin/tenants", "/demo/clients");
        try {
            for (String path : paths) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                        .header("Authorization", "Bearer " + t.key()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless(ceiling.asLongValue() + 1_000_000))).build();
                HttpResponse<String> r;
                try {
                    r = http.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    throw new AssertionError(path + ": the connection broke instead of an answer: " + e, e);
                }
                assertThat(r.statusCode()).as(path).isIn(413, 404, 401, 403);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path + " " + r.body()).startsWith("application/problem+json");
                JsonNode problem = json.readTree(r.body());
                assertThat(problem.path("status").asInt()).as(path).isEqualTo(r.statusCode());
                if (r.statusCode() == 413) {
                    assertThat(problem.path("type").asText()).isEqualTo("https://wharf.io/problems/payload-too-large");
                }
            }
            Thread.sleep(300); // a second log line, if any, comes after the answer
        } finally {
            root.removeHandler(capture);
        }
        List<LogRecord> traces = capture.records.stream().filter(r -> r.getThrown() != null).toList();
        assertThat(traces).as("stack traces logged: %s", traces.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList()).isEmpty();
        long loud = capture.records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).count();
        assertThat(capture.records.stream().filter(r -> r.getLevel().intValue() > Level.WARNING.intValue()).toList()).isEmpty();
        assertThat(loud).isLessThanOrEqualTo(paths.size());
    }
}

package io.wharf.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;

/**
 * Issue 7, items 1 and 2: connection strings cannot add driver parameters, HTTP tests keep their
 * credentials to the tenant's origin, end within one deadline and read a bounded body, and one tenant
 * cannot run more than its share of tests at once.
 */
@QuarkusTest
class ConnectorHardeningTest {

    @Inject
    DataSource ds;

    @Test
    void portsOutOfRangeAreAFailedTestNotA500() throws Exception {
        try (Server server = new Server()) {
            server.redirect("/to-bad-port", "http://127.0.0.1:70000/x");
            TestTenant t = TestTenants.client();
            // on the old code both answered 500 (InetSocketAddress threw IllegalArgumentException) and recorded nothing
            create(t, "port", "api", "http://127.0.0.1:70000/", null);
            create(t, "hop", "api", server.url("/to-bad-port"), null);
            for (String id : List.of("port", "hop")) {
                t.as().when().post("/connector/profiles/" + id + "/test").then().statusCode(200).body("status", equalTo("failed"))
                        .body("message", containsString("port must be a number from 1 to 65535"));
                t.as().when().get("/connector/profiles/" + id).then().statusCode(200).body("test_status", equalTo("failed"));
            }
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM action_logs WHERE tenant_id = ? AND action_type = 'connector_test'", t.id()))
                    .isEqualTo(2L);
        }
    }

    @Test
    void secretsInTheUrlPathAreNeitherAnsweredNorLogged() throws Exception {
        try (Server server = new Server()) {
            server.http.createContext("/hooks", ex -> {
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            TestTenant t = TestTenants.client();
            create(t, "hook", "api", server.url("/hooks/T0PSECRETPATHSEGMENT/x?sig=QUERYSECRET"), null);
            String answer = t.as().when().post("/connector/profiles/hook/test").then().statusCode(200).body("status", equalTo("success"))
                    .extract().asString();
            assertThat(answer).doesNotContain("T0PSECRET").doesNotContain("QUERYSECRET");
            var logs = Sql.rows(ds, "SELECT request_payload::text AS req, response_data::text AS res, coalesce(error_message, '') AS err "
                    + "FROM action_logs WHERE tenant_id = ?", t.id());
            assertThat(logs).hasSize(1);
            assertThat(logs.toString()).doesNotContain("T0PSECRET").doesNotContain("QUERYSECRET").doesNotContain("/hooks")
                    .contains("http://127.0.0.1:" + server.http.getAddress().getPort());
        }
    }

    @Test
    void adoptedCredentialsThatAreNotAnObjectAreAFailedTest() {
        TestTenant t = TestTenants.client();
        // seed 003 stored credentials as they came; on the old code each of these answered 500
        Sql.exec(ds, "INSERT INTO connector_profiles (tenant_id, id, profile_data) VALUES (?, 'str', ?::jsonb), (?, 'arr', ?::jsonb), "
                + "(?, 'num', ?::jsonb)",
                t.id(), "{\"name\": \"s\", \"type\": \"api\", \"connection_string\": \"http://127.0.0.1:1/\", \"credentials\": \"tok\"}",
                t.id(), "{\"name\": \"a\", \"type\": \"api\", \"connection_string\": \"http://127.0.0.1:1/\", \"credentials\": [\"u\", \"p\"]}",
                t.id(), "{\"name\": \"n\", \"type\": \"sql\", \"connection_string\": \"host=localhost\", \"credentials\": 42}");
        for (String id : List.of("str", "arr", "num")) {
            t.as().when().post("/connector/profiles/" + id + "/test").then().statusCode(200).body("status", equalTo("failed"))
                    .body("message", containsString("credentials must be an object"));
        }
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM action_logs WHERE tenant_id = ? AND action_type = 'connector_test'", t.id()))
                .isEqualTo(3L);
    }

    /**
     * A "PostgreSQL server" that answers the startup with an error message announced long and sent a byte
     * a second: every read succeeds within the socket timeout, so only an absolute deadline ends it.
     */
    @Test
    void aTricklingSqlServerIsCutOffAtTheDeadlineAndItsSocketClosed() throws Exception {
        AtomicLong clientGoneAt = new AtomicLong();
        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread serving = new Thread(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().read(new byte[8]); // the startup message's beginning; sslmode=disable sends no SSLRequest
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] { 'E', 0, 0, 0x4e, 0x20 }); // ErrorResponse, 20000 bytes long
                    out.flush();
                    InputStream in = s.getInputStream();
                    s.setSoTimeout(250);
                    long nextByte = 0;
                    while (true) {
                        if (System.nanoTime() >= nextByte) {
                            out.write('S');
                            out.flush();
                            nextByte = System.nanoTime() + 1_000_000_000L;
                        }
                        try {
                            if (in.read() < 0) {
                                break;
                            }
                        } catch (SocketTimeoutException stillOpen) {
                            // the client is still there
                        }
                    }
                } catch (IOException gone) {
                    // reset by the client
                }
                clientGoneAt.set(System.nanoTime());
            });
            serving.setDaemon(true);
            serving.start();
            TestTenant t = TestTenants.client();
            create(t, "trickle-sql", "sql", "host=127.0.0.1 port=" + fake.getLocalPort() + " dbname=postgres user=postgres sslmode=disable",
                    Map.of("password", "x"));
            long started = System.nanoTime();
            Response r = within(20, () -> t.as().when().post("/connector/profiles/trickle-sql/test"));
            long answeredMs = (System.nanoTime() - started) / 1_000_000;
            r.then().statusCode(200).body("status", equalTo("timeout"));
            assertThat(answeredMs).as("answered at the 2 s deadline").isBetween(1900L, 3500L);
            serving.join(6000);
            assertThat(clientGoneAt.get()).as("the driver's socket was closed").isNotZero();
            assertThat((clientGoneAt.get() - started) / 1_000_000).as("closed at the deadline, not later").isLessThan(4500L);
        }
    }

    @Test
    void parametersSmuggledIntoTheDatabaseNameAreRefused() {
        TestTenant t = TestTenants.client();
        // on the old code each of these connected (success): the URL's own parameters overrode the database
        create(t, "kv", "sql", "host=localhost user=postgres dbname=wharf_none_x?PGDBNAME=postgres", null);
        create(t, "uri", "sql", "postgresql://postgres@localhost:5432/wharf_none_y%3FPGDBNAME%3Dpostgres", null);
        create(t, "jdbc", "sql", "jdbc:postgresql://localhost:5432/wharf_none_z%3FPGDBNAME%3Dpostgres%26connectTimeout%3D0", null);
        for (String id : List.of("kv", "uri", "jdbc")) {
            t.as().when().post("/connector/profiles/" + id + "/test").then().statusCode(200).body("status", equalTo("failed"))
                    .body("message", containsString("database name may only contain"));
        }
        create(t, "user", "sql", "host=localhost dbname=postgres", Map.of("username", "postgres?PGHOST=10.0.0.5"));
        t.as().when().post("/connector/profiles/user/test").then().statusCode(200).body("status", equalTo("failed"))
                .body("message", containsString("user name may only contain"));
        create(t, "port", "sql", "host=localhost port=99999 dbname=postgres", null);
        t.as().when().post("/connector/profiles/port/test").then().statusCode(200).body("status", equalTo("failed"))
                .body("message", containsString("port must be a number from 1 to 65535"));
        // the database really comes from the typed property: a plain name still connects, a wrong one is named
        create(t, "plain", "sql", "host=localhost port=5432 dbname=postgres user=postgres sslmode=disable", Map.of("password", "p?w&d%3F=x"));
        t.as().when().post("/connector/profiles/plain/test").then().statusCode(200).body("status", equalTo("success"));
    }

    @Test
    void credentialsStayWithTheTenantsOrigin() throws Exception {
        try (Server other = new Server(); Server origin = new Server()) {
            origin.redirect("/elsewhere", other.url("/ok"));
            origin.redirect("/same", origin.url("/ok"));
            TestTenant t = TestTenants.client();
            create(t, "cross", "api", origin.url("/elsewhere"), Map.of("token", "s3cret-token"));
            t.as().when().post("/connector/profiles/cross/test").then().statusCode(200).body("status", equalTo("success"));
            assertThat(other.hits.get()).isEqualTo(1);
            assertThat(other.lastAuthorization).as("Authorization after a redirect to another origin").isNull();

            create(t, "same", "api", origin.url("/same"), Map.of("username", "u", "password", "p"));
            t.as().when().post("/connector/profiles/same/test").then().statusCode(200).body("status", equalTo("success"));
            assertThat(origin.lastAuthorization).isEqualTo("Basic dTpw");
        }
    }

    @Test
    void oneDeadlineCoversTheBodyAndOnlyABoundedBodyIsRead() throws Exception {
        try (Server server = new Server()) {
            TestTenant t = TestTenants.client();
            create(t, "trickle", "api", server.url("/trickle"), null);
            long started = System.nanoTime();
            Response r = within(15, () -> t.as().when().post("/connector/profiles/trickle/test"));
            r.then().statusCode(200).body("status", equalTo("timeout"));
            assertThat((System.nanoTime() - started) / 1_000_000).as("answered after the 2 s deadline, not later").isBetween(1900L, 4000L);

            create(t, "endless", "api", server.url("/endless"), null);
            Response e = within(15, () -> t.as().when().post("/connector/profiles/endless/test"));
            e.then().statusCode(200).body("status", equalTo("success"));
            assertThat(server.endlessBytesSent.get()).as("bytes the server could push before Wharf hung up").isLessThan(16 * 1024 * 1024);
        }
    }

    @Test
    void aTenantRunsAtMostTwoTestsAtOnceAndOthersAreUnaffected() throws Exception {
        try (Server server = new Server()) {
            TestTenant busy = TestTenants.client();
            TestTenant other = TestTenants.client();
            create(busy, "held", "api", server.url("/held"), null);
            create(other, "quick", "api", server.url("/ok"), null);
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            var pool = Executors.newFixedThreadPool(4);
            try {
                for (int i = 0; i < 4; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> busy.as().when().post("/connector/profiles/held/test"), pool));
                }
                assertThat(server.heldArrived.await(10, TimeUnit.SECONDS)).as("two tests reached the server").isTrue();
                long waitUntil = System.nanoTime() + 5_000_000_000L;
                while (calls.stream().filter(CompletableFuture::isDone).count() < 2 && System.nanoTime() < waitUntil) {
                    Thread.sleep(10);
                }
                List<Integer> rejected = new ArrayList<>();
                for (CompletableFuture<Response> c : calls) {
                    if (c.isDone()) {
                        Response r = c.get();
                        r.then().statusCode(429).contentType("application/problem+json").header("Retry-After", equalTo("2"))
                                .body("type", equalTo("https://wharf.io/problems/too-many-requests"));
                        rejected.add(r.statusCode());
                    }
                }
                assertThat(rejected).hasSize(2);
                other.as().when().post("/connector/profiles/quick/test").then().statusCode(200).body("status", equalTo("success"));
                server.release.countDown();
                int ok = 0;
                for (CompletableFuture<Response> c : calls) {
                    Response r = c.get(10, TimeUnit.SECONDS);
                    ok += r.statusCode() == 200 ? 1 : 0;
                }
                assertThat(ok).isEqualTo(2);
                // the slots are given back
                busy.as().when().post("/connector/profiles/held/test").then().statusCode(200).body("status", equalTo("success"));
            } finally {
                server.release.countDown();
                pool.shutdownNow();
            }
        }
    }

    private static Response within(int seconds, Supplier<Response> call) throws Exception {
        return CompletableFuture.supplyAsync(call).get(seconds, TimeUnit.SECONDS);
    }

    private static void create(TestTenant t, String id, String type, String connection, Map<String, Object> credentials) {
        var body = new HashMap<String, Object>(Map.of("id", id, "name", id, "type", type, "connection_string", connection));
        if (credentials != null) {
            body.put("credentials", credentials);
        }
        t.as().contentType("application/json").body(body).when().post("/connector/profiles").then().statusCode(201);
    }

    /** A tenant's API on loopback; each instance is its own origin (its own port). */
    private static final class Server implements AutoCloseable {
        final HttpServer http;
        final AtomicInteger hits = new AtomicInteger();
        final AtomicInteger endlessBytesSent = new AtomicInteger();
        final CountDownLatch heldArrived = new CountDownLatch(2);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String lastAuthorization;

        Server() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.setExecutor(Executors.newCachedThreadPool());
            http.createContext("/ok", ex -> {
                hits.incrementAndGet();
                lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            http.createContext("/trickle", ex -> {
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    for (int i = 0; i < 200; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException gone) {
                    // Wharf hung up
                }
            });
            http.createContext("/endless", ex -> {
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[8192];
                try (OutputStream out = ex.getResponseBody()) {
                    while (endlessBytesSent.get() < 64 * 1024 * 1024) {
                        out.write(chunk);
                        out.flush();
                        endlessBytesSent.addAndGet(chunk.length);
                    }
                } catch (IOException gone) {
                    // Wharf hung up
                }
            });
            http.createContext("/held", ex -> {
                heldArrived.countDown();
                try {
                    release.await(1800, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            http.start();
        }

        void redirect(String path, String to) {
            http.createContext(path, ex -> {
                ex.getResponseHeaders().add("Location", to);
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
        }

        String url(String path) {
            return "http://127.0.0.1:" + http.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            release.countDown();
            http.stop(0);
        }
    }
}

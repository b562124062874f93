package io.wharf.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wharf.testing.AppProcess;
import io.wharf.testing.Sql;
import io.wharf.testing.TcpProxy;
import io.wharf.testing.TestDatabases;

/**
 * A database restart or outage seen by the packaged application under load: the application reaches
 * PostgreSQL through a loopback relay the test can cut, or has every backend terminated, and the test
 * counts the answers that are not what a client should get.
 */
class DatabaseOutageIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final String ADMIN_KEY = "wharf_itoutage0000_integration-test-bootstrap-key-000000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(String phase, int status, String retryAfter, String type) {
    }

    /** Four clients in a loop, each answer tagged with the phase the test is in when it arrives. */
    static final class Load implements AutoCloseable {
        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        final AtomicReference<String> phase = new AtomicReference<>("before");
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();

        Load(AppProcess app, String key) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.url("/demo/clients"))
                                    .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(15)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            String type = r.statusCode() >= 400 ? JSON.readTree(r.body()).path("type").asText() : null;
                            answers.add(new Answer(phase.get(), r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), type));
                        } catch (Exception e) {
                            answers.add(new Answer(phase.get(), -1, null, e.toString()));
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
        }

        List<Answer> in(String p) {
            return answers.stream().filter(a -> a.phase().equals(p)).toList();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(20_000);
            }
        }
    }

    private static String clientKey(AppProcess app) throws Exception {
        var created = JSON.readTree(app.call("POST", "/api/admin/tenants", ADMIN_KEY, "{\"name\": \"outage\"}").body());
        String key = created.path("apiKey").path("key").asText();
        assertThat(app.call("POST", "/demo/clients", key, "{\"client_id\": \"c1\", \"client_name\": \"C\", \"license_type\": \"basic\"}")
                .statusCode()).isEqualTo(201);
        return key;
    }

    private static int terminateBackends(TestDatabases.Db db) {
        return Sql.rows(db.dataSource(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()",
                db.name()).size();
    }

    @Test
    void everyBackendTerminatedUnderLoadCostsNoFailedRequest() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_outage");
             // a production-sized pool: every idle connection it keeps is one a restart kills
             AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", ADMIN_KEY,
                     "quarkus.datasource.jdbc.min-size", "20")).awaitUp(START)) {
            String key = clientKey(app);
            Load load = new Load(app, key);
            try (load) {
                Thread.sleep(1500);
                for (int round = 1; round <= 3; round++) {
                    load.phase.set("terminated-" + round);
                    assertThat(terminateBackends(db)).as("backends of the application terminated").isPositive();
                    Thread.sleep(2000);
                }
            }
            List<Answer> failed = load.answers.stream().filter(a -> a.status() != 200).toList();
            System.out.printf("terminate: %d answers, not 200 per round: %s%n", load.answers.size(), failed.stream()
                    .collect(Collectors.groupingBy(a -> a.phase() + " " + a.status(), Collectors.counting())));
            app.output().lines().filter(l -> l.contains("WARN")).forEach(System.out::println);
            assertThat(load.in("terminated-3")).as("load kept running").isNotEmpty();
            // only a request on a connection whose backend was just killed can fail, and it says to retry
            assertThat(failed).as("answers other than 200 across three rounds of pg_terminate_backend").allSatisfy(a -> {
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.type()).isEqualTo("https://wharf.io/problems/database-unavailable");
                assertThat(a.retryAfter()).isNotBlank();
            });
            for (int round = 1; round <= 3; round++) {
                assertThat(load.in("terminated-" + round).stream().filter(a -> a.status() != 200).count())
                        // connections idle for over a second are validated before use; the first request that finds its
                        // connection dead has the pool validate all idle ones, so only requests in flight (four clients)
                        // or started before that sweep ends fail (a few per client at most), not one or two per pooled
                        // connection (20 to 30 here; 21 were seen before the sweep)
                        .as("failed answers after termination round %d (4 clients, pool of 20 to 30)", round).isLessThanOrEqualTo(12);
            }
            assertThat(app.output()).doesNotContain("Unexpected failure");
            // the key cache's LISTEN connection was terminated too, and came back each time
            assertThat(app.output().split("API key cache listening", -1).length - 1).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void whileTheDatabaseIsUnreachableRequestsGet503WithRetryAfterAndTheFirstAfterItSucceeds() throws Exception {
        try (TestDatabases.Db db = TestDatabases.create("wharf_outage");
             TcpProxy proxy = TcpProxy.start("localhost", URI.create(db.jdbcUrl().substring(5)).getPort())) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + db.name();
            try (AppProcess app = AppProcess.start(db, Map.of("wharf.auth.bootstrap-admin-key", ADMIN_KEY,
                    "quarkus.datasource.jdbc.url", viaProxy)).awaitUp(START)) {
                String key = clientKey(app);
                Load load = new Load(app, key);
                try (load) {
                    Thread.sleep(1500);
                    load.phase.set("cut");
                    proxy.cut();
                    Thread.sleep(4000);
                    load.running.set(false);
                    for (Thread t : load.threads) {
                        t.join(20_000);
                    }
                    proxy.restore();
                    HttpResponse<String> first = app.call("GET", "/demo/clients", key, null);
                    assertThat(first.statusCode()).as("first request once the database is back: %s", first.body()).isEqualTo(200);
                }
                Load after = new Load(app, key);
                try (after) {
                    after.phase.set("restored");
                    Thread.sleep(2000);
                }
                List<Answer> cut = load.in("cut");
                System.out.printf("cut: %d answers: %s%n", cut.size(), cut.stream().map(a -> a.status() + " " + a.type())
                        .collect(Collectors.groupingBy(s -> s, Collectors.counting())));
                assertThat(load.in("before")).extracting(Answer::status).containsOnly(200);
                assertThat(cut).as("answers while the database is unreachable").isNotEmpty();
                assertThat(cut.stream().filter(a -> a.status() != 200).toList()).allSatisfy(a -> {
                    assertThat(a.status()).isEqualTo(503);
                    assertThat(a.type()).isEqualTo("https://wharf.io/problems/database-unavailable");
                    assertThat(a.retryAfter()).isNotBlank();
                });
                assertThat(cut).extracting(Answer::status).contains(503);
                assertThat(after.answers).isNotEmpty().extracting(Answer::status).containsOnly(200);
                assertThat(app.output()).doesNotContain("Unexpected failure");
            }
        }
    }
}

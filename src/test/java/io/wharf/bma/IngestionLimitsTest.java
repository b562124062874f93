package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/** What one tenant's requests may cost: requests at once, the size of free-form JSON, the log of a refusal, and numbers as sent. */
@QuarkusTest
class IngestionLimitsTest {

    private static final String POST = "/api/integration/bma/transaction";

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @ConfigProperty(name = "wharf.bma.max-concurrent-per-tenant", defaultValue = "8")
    int maxConcurrent;

    @Test
    void requestsOfOneTenantBeyondTheLimitAre429AndOtherTenantsGoOn() throws Exception {
        TestTenant busy = TestTenants.client();
        TestTenant other = TestTenants.client();
        ExecutorService pool = Executors.newFixedThreadPool(maxConcurrent + 1);
        List<Future<Integer>> held = new ArrayList<>();
        // the tenant's row locked: each of its inserts waits, holding its request open
        try (Connection lock = ds.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement ps = lock.prepareStatement("SELECT 1 FROM tenants WHERE id = ? FOR UPDATE")) {
                ps.setObject(1, busy.id());
                ps.execute();
            }
            for (int i = 0; i < maxConcurrent; i++) {
                Map<String, Object> body = transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())));
                held.add(pool.submit(() -> busy.as().contentType("application/json").body(body).post(POST).statusCode()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (waitingOnLock() < maxConcurrent && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(waitingOnLock()).isEqualTo(maxConcurrent);
            Response refused = busy.as().contentType("application/json")
                    .body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())))).post(POST);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).matches("[1-9][0-9]*");
            other.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())))).post(POST)
                    .then().statusCode(201);
            lock.commit();
        }
        for (Future<Integer> f : held) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(201);
        }
        pool.shutdown();
        // every slot was given back: as many requests as the limit run again, refused ones included
        for (int i = 0; i < maxConcurrent + 1; i++) {
            busy.as().contentType("application/json").body("{}").post(POST).then().statusCode(400);
        }
        busy.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())))).post(POST)
                .then().statusCode(201);
    }

    private long waitingOnLock() {
        return (Long) Sql.scalar(ds, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                + "AND query LIKE '%INSERT INTO transactions %'");
    }

    @Test
    void observationsAreLimitedInSizeDepthAndKeysAndNamed() {
        TestTenant t = TestTenants.client();
        Map<String, Object> big = new LinkedHashMap<>();
        big.put("text", "x".repeat(40_000));
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> at = deep;
        for (int i = 0; i < 40; i++) {
            Map<String, Object> next = new LinkedHashMap<>();
            at.put("d", next);
            at = next;
        }
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            wide.put("k" + i, i);
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map<String, Object> observation : List.<Map<String, Object>>of(big, deep, wide, Map.of("fine", 1))) {
            Map<String, Object> r = record("PET", 1, List.of());
            r.put("observation", observation);
            records.add(r);
        }
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), records)).post(POST).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("/records/0/observation", "/records/1/observation", "/records/2/observation")));
        Map<String, Object> onlyBig = record("PET", 1, List.of());
        onlyBig.put("observation", big);
        t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(onlyBig))).post(POST).then().statusCode(413)
                .body("errors[0].field", equalTo("/records/0/observation"));
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(BmaFixtures.Stored.NOTHING);
    }

    @Test
    void uploadMetadataIsLimitedLikewise() {
        TestTenant t = TestTenants.client();
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            wide.put("k" + i, "v");
        }
        for (Object metadata : List.of(Map.of("text", "x".repeat(40_000)), wide)) {
            Map<String, Object> body = new LinkedHashMap<>(Map.of("upload_type", "image", "original_filename", "a.jpg", "content_type", "image/jpeg",
                    "file_size", 10));
            body.put("metadata", metadata);
            Response r = t.as().contentType("application/json").body(body).post("/api/uploads");
            assertThat(r.statusCode()).isIn(400, 413);
            assertThat(r.contentType()).startsWith("application/problem+json");
            r.then().body("errors.field", hasItem("metadata"));
        }
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads WHERE tenant_id = ?", t.id())).isEqualTo(0L);
    }

    @Test
    void aRefusedBodyIsLoggedCutToABoundedSize() throws Exception {
        TestTenant t = TestTenants.client();
        Map<String, Object> r = record("PET", 1, List.of());
        r.put("observation", Map.of("text", "y".repeat(1_200_000)));
        byte[] body = mapper.writeValueAsBytes(transaction(BmaFixtures.newId(), List.of(r)));
        t.as().contentType("application/json").body(body).post(POST).then().statusCode(413);
        Map<String, Object> log = Sql.rows(ds, "SELECT octet_length(request_payload::text) AS size, request_payload->>'truncated' AS truncated, "
                + "request_payload->>'bytes' AS bytes FROM action_logs WHERE tenant_id = ? AND action_type = 'bma_transaction'", t.id()).get(0);
        assertThat(((Number) log.get("size")).longValue()).isLessThan(70_000);
        assertThat(log.get("truncated")).isEqualTo("true");
        assertThat(Long.parseLong((String) log.get("bytes"))).isEqualTo(body.length);
        // a refusal that names twenty thousand unknown fields is logged cut too, answer and message
        Map<String, Object> many = transaction(BmaFixtures.newId(), List.of(record("PET", 1, List.of())));
        for (int i = 0; i < 20_000; i++) {
            many.put("unknown_" + i, 1);
        }
        t.as().contentType("application/json").body(many).post(POST).then().statusCode(400);
        Map<String, Object> refused = Sql.rows(ds, "SELECT octet_length(response_data::text) + octet_length(request_payload::text) "
                + "+ octet_length(error_message) AS size, response_data->>'truncated' AS truncated FROM action_logs WHERE tenant_id = ? "
                + "AND action_type = 'bma_transaction' ORDER BY created_at DESC LIMIT 1", t.id()).get(0);
        assertThat(((Number) refused.get("size")).longValue()).isLessThan(140_000);
        assertThat(refused.get("truncated")).isEqualTo("true");
    }

    private static final Pattern NUMBER = Pattern.compile("\"(quantity|price|latitude|a|b|c|d)\":(-?[0-9.eE+-]+)");

    private static Map<String, String> numbers(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = NUMBER.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Test
    void numbersAreAnsweredPlainAndAlikeInEveryAnswer() {
        TestTenant t = TestTenants.client();
        String id = BmaFixtures.newId();
        String body = "{\"external_transaction_id\": \"" + id + "\", \"transaction_date\": \"2025-11-07\", "
                + "\"location\": {\"name\": \"P\", \"latitude\": 13.7000}, \"collected_by\": {\"id\": \"E\"}, \"records\": [{\"material\": \"PET\", "
                + "\"quantity\": 100.0, \"unit\": \"kg\", \"price\": 1e2, \"observation\": {\"a\": 0.00001, \"b\": 1E-7, \"c\": 2.50e3, \"d\": 7}}]}";
        String created = t.as().contentType("application/json").header("Idempotency-Key", "k-" + id).body(body).post(POST).then().statusCode(201)
                .extract().asString();
        String replay = t.as().contentType("application/json").header("Idempotency-Key", "k-" + id).body(body).post(POST).then().statusCode(201)
                .extract().asString();
        String same = t.as().contentType("application/json").body(body).post(POST).then().statusCode(200).extract().asString();
        String read = t.as().get(POST + "/" + id).then().statusCode(200).extract().asString();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("latitude", "13.7000");
        expected.put("quantity", "100.0");
        expected.put("price", "100");
        expected.put("a", "0.00001");
        expected.put("b", "0.0000001");
        expected.put("c", "2500");
        expected.put("d", "7");
        for (String answer : List.of(created, replay, same, read)) {
            assertThat(numbers(answer.replace(" ", ""))).as(answer).containsAllEntriesOf(expected);
        }
    }
}

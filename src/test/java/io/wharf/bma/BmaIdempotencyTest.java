package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.inline;
import static io.wharf.bma.BmaFixtures.jpeg;
import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

/** The same transaction posted twice, with or without an Idempotency-Key, and fifty times at once (those beyond the tenant's limit of requests at once answered 429), is stored once. */
@QuarkusTest
class BmaIdempotencyTest {

    private static final String POST = "/api/integration/bma/transaction";

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @Test
    void theSameContentAgainAnswersTheStoredTransactionAndOtherContentIsRefused() throws Exception {
        TestTenant t = TestTenants.client();
        String id = BmaFixtures.newId();
        Map<String, Object> body = transaction(id, List.of(record("Paper", 7, List.of(inline(jpeg(5_000, 3), "image/jpeg"),
                url("http://127.0.0.1:9/a.jpg")))));
        Map<String, Object> first = t.as().contentType("application/json").body(body).when().post(POST).then().statusCode(201).extract()
                .as(Map.class);
        BmaFixtures.Stored once = BmaFixtures.Stored.of(ds, s3, bucket, t);
        assertThat(once).isEqualTo(new BmaFixtures.Stored(1, 1, 2, 1, 1));

        // the same content, even with its keys in another order, is the same transaction: 200, nothing written
        Map<String, Object> reordered = new TreeMap<>(body);
        Map<String, Object> again = t.as().contentType("application/json").body(mapper.writeValueAsString(reordered)).when().post(POST).then()
                .statusCode(200).extract().as(Map.class);
        assertThat(again.get("transaction_id")).isEqualTo(first.get("transaction_id"));
        assertThat(again.get("records")).isEqualTo(first.get("records"));
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(once);

        // other content under the same id: 409, and the stored one is unchanged
        Map<String, Object> changed = transaction(id, List.of(record("Paper", 8, List.of())));
        t.as().contentType("application/json").body(changed).when().post(POST).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("different content"));
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, t)).isEqualTo(once);
        t.as().when().get(POST + "/" + id).then().statusCode(200).body("records[0].quantity", equalTo(7));

        // another tenant may use the same external id for a transaction of its own
        TestTenant other = TestTenants.client();
        other.as().contentType("application/json").body(changed).when().post(POST).then().statusCode(201);
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherBody() {
        TestTenant t = TestTenants.client();
        String id = BmaFixtures.newId();
        Map<String, Object> body = transaction(id, List.of(record("Glass", 2, List.of(url("http://127.0.0.1:9/g.jpg")))));
        Response first = t.as().header("Idempotency-Key", "key-" + id).contentType("application/json").body(body).when().post(POST);
        first.then().statusCode(201);
        Response replay = t.as().header("Idempotency-Key", "key-" + id).contentType("application/json").body(body).when().post(POST);
        replay.then().statusCode(201);
        assertThat(replay.asString()).isEqualTo(first.asString());

        Map<String, Object> other = transaction(BmaFixtures.newId(), List.of(record("Glass", 2, List.of())));
        t.as().header("Idempotency-Key", "key-" + id).contentType("application/json").body(other).when().post(POST).then().statusCode(422)
                .body("type", equalTo("https://wharf.io/problems/idempotency-key-reused"));
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM transactions WHERE tenant_id = ?", t.id())).isEqualTo(1L);

        // a key is the tenant's own
        TestTenants.client().as().header("Idempotency-Key", "key-" + id).contentType("application/json").body(other).when().post(POST).then()
                .statusCode(201);
        t.as().header("Idempotency-Key", "bad key with spaces").contentType("application/json").body(other).when().post(POST).then()
                .statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void fiftyIdenticalPostsAtOnceStoreOneTransactionAndNoneFails() throws Exception {
        TestTenant t = TestTenants.client();
        String id = BmaFixtures.newId();
        String body = mapper.writeValueAsString(transaction(id, List.of(
                record("PET", 4, List.of(inline(jpeg(20_000, 9), "image/jpeg"), url("http://127.0.0.1:9/p.jpg"))),
                record("Cans", 1, List.of(inline(jpeg(10_000, 10), "image/jpeg"))))));
        for (boolean withKey : new boolean[] { false, true }) {
            String ext = withKey ? id + "-k" : id;
            String b = body.replace(id, ext);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Callable<Integer> post = () -> {
                        start.await();
                        var req = t.as().contentType("application/json").body(b);
                        if (withKey) {
                            req = req.header("Idempotency-Key", "fifty-" + ext);
                        }
                        return req.when().post(POST).statusCode();
                    };
                    answers.add(pool.submit(post));
                }
                start.countDown();
                Map<Integer, Integer> statuses = new TreeMap<>();
                for (Future<Integer> f : answers) {
                    statuses.merge(f.get(60, TimeUnit.SECONDS), 1, Integer::sum);
                }
                // beyond wharf.bma.max-concurrent-per-tenant requests at once the tenant is told to retry (429)
                assertThat(statuses.keySet()).as("answers %s", statuses).isSubsetOf(200, 201, 429);
                assertThat(statuses.get(201)).as("answers %s", statuses).isGreaterThanOrEqualTo(1);
                if (!withKey) {
                    assertThat(statuses).as("answers %s", statuses).containsEntry(201, 1);
                    assertThat(statuses.getOrDefault(200, 0) + statuses.getOrDefault(429, 0)).as("answers %s", statuses).isEqualTo(49);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(Sql.scalar(ds, "SELECT count(*) FROM transactions WHERE tenant_id = ? AND external_transaction_id = ?", t.id(), ext))
                    .isEqualTo(1L);
        }
        BmaFixtures.Stored stored = BmaFixtures.Stored.of(ds, s3, bucket, t);
        assertThat(stored).isEqualTo(new BmaFixtures.Stored(2, 4, 6, 2, 4));
        // every files row's object is there, with its bytes
        for (Map<String, Object> f : Sql.rows(ds, "SELECT s3_key, size_bytes FROM files WHERE tenant_id = ? AND source = 's3'", t.id())) {
            assertThat((long) s3.getObjectAsBytes(r -> r.bucket(bucket).key((String) f.get("s3_key"))).asByteArray().length)
                    .isEqualTo(f.get("size_bytes"));
        }
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM ingest_pending_objects")).isEqualTo(0L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE tenant_id = ? AND resource_type = 'bma_transaction'", t.id()))
                .isEqualTo(2L);
    }
}

package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.FakeDns;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A tenant whose image hosts' DNS server never answers holds only its own name lookups: another tenant's
 * transactions, whose hosts resolve, are accepted at once meanwhile, and the migration's lookups go on
 * (the test DNS server, {@link FakeDns}, never answers *.blackhole.dns.test).
 */
@QuarkusTest
class BmaDnsIsolationTest {

    private static final String POST = "/api/integration/bma/transaction";
    private static final int FLOOD = 16;

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    private static Map<String, Object> withImagesOn(List<String> hosts) {
        return transaction(BmaFixtures.newId(),
                List.of(record("PET bottles", 3, hosts.stream().map(h -> url("http://" + h + "/photo.jpg")).toList())));
    }

    /** Tenant {@code flooding} posting transactions whose image hosts never resolve, from several threads, until closed. */
    private static final class Flood implements AutoCloseable {
        final ExecutorService pool = Executors.newFixedThreadPool(FLOOD);
        final List<Future<List<Response>>> posters = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();

        Flood(TestTenant flooding, boolean once) throws InterruptedException {
            int unansweredBefore = FakeDns.shared().unanswered();
            for (int i = 0; i < FLOOD; i++) {
                int poster = i;
                posters.add(pool.submit(() -> {
                    List<Response> answers = new ArrayList<>();
                    for (int n = 0; n == 0 || !once && !stop.get(); n++) {
                        List<String> hosts = List.of("a" + poster + "-" + n + ".blackhole.dns.test", "b" + poster + "-" + n + ".blackhole.dns.test");
                        answers.add(flooding.as().contentType("application/json").body(withImagesOn(hosts)).when().post(POST));
                        Thread.sleep(once ? 0 : 50);
                    }
                    return answers;
                }));
            }
            long asked = System.nanoTime() + 2_000_000_000L;
            while (FakeDns.shared().unanswered() - unansweredBefore < 4 && System.nanoTime() < asked) {
                Thread.sleep(10);
            }
            assertThat(FakeDns.shared().unanswered() - unansweredBefore).as("black-holed queries under way").isGreaterThanOrEqualTo(4);
        }

        /** Every answer: its own lookups timed out (503) or exceeded its share (429), to retry later. */
        List<Response> answers() throws Exception {
            stop.set(true);
            List<Response> all = new ArrayList<>();
            for (Future<List<Response>> f : posters) {
                all.addAll(f.get());
            }
            return all;
        }

        @Override
        public void close() {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void aTenantsUnansweredNamesDoNotHoldAnotherTenantsIngestion() throws Exception {
        TestTenant flooding = TestTenants.client();
        TestTenant other = TestTenants.client();
        try (Flood flood = new Flood(flooding, true)) {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Response r = other.as().contentType("application/json").body(withImagesOn(List.of("cdn" + i + ".public.dns.test"))).when().post(POST);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(r.statusCode()).as("the other tenant's transaction %d (%d ms): %s", i, millis, r.asString()).isEqualTo(201);
                assertThat(millis).as("answered promptly").isLessThan(1000);
            }
            for (Response r : flood.answers()) {
                assertThat(r.statusCode()).as(r.asString()).isIn(429, 503);
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, flooding)).isEqualTo(BmaFixtures.Stored.NOTHING);
    }

    @Test
    void aTenantsUnansweredNamesBurnNoMigrationAttemptOfAnother() throws Exception {
        TestTenant flooding = TestTenants.client();
        TestTenant other = TestTenants.client();
        byte[] photo = BmaFixtures.jpeg(4_000, 19);
        try (LegacyOrigin origin = LegacyOrigin.start()) {
            // by name, so that the migration looks it up (an address is not looked up)
            String url = origin.serve("dns-isolation.jpg", photo, "ok").replace("127.0.0.1", "localhost");
            TestTenants.asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
            UUID job;
            try {
                other.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("Glass", 1, List.of(url(url))))))
                        .when().post(POST).then().statusCode(201);
                job = (UUID) Sql.scalar(ds, "SELECT j.id FROM s3_migration_log j JOIN files f ON f.id = j.file_id WHERE f.tenant_id = ?", other.id());
                try (Flood flood = new Flood(flooding, false)) {
                    TestTenants.asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while ("pending".equals(Sql.scalar(ds, "SELECT migration_status FROM s3_migration_log WHERE id = ?", job))
                            && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                }
            } finally {
                TestTenants.asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
            }
            Map<String, Object> done = Sql.rows(ds, "SELECT migration_status, attempts, error_message FROM s3_migration_log WHERE id = ?", job)
                    .get(0);
            assertThat(done).as("copied at its first attempt").containsEntry("migration_status", "migrated").containsEntry("attempts", 1);
            assertThat(origin.hits("dns-isolation.jpg")).isEqualTo(1);
        }
    }
}

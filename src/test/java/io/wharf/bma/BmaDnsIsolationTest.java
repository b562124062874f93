package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wharf.testing.FakeDns;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A tenant whose image hosts' DNS server never answers holds only its own name lookups: another tenant's
 * transactions, whose hosts resolve, are accepted at once meanwhile (the test DNS server, {@link FakeDns}, never answers *.blackhole.dns.test).
 */
@QuarkusTest
class BmaDnsIsolationTest {

    private static final String POST = "/api/integration/bma/transaction";

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

    /** Tenant {@code flooding} posting transactions whose image hosts never resolve, one from each of several threads at once. */
    private static final class Flood implements AutoCloseable {
        final ExecutorService pool;
        final List<Future<Response>> posters = new ArrayList<>();

        Flood(TestTenant flooding, int threads) throws InterruptedException {
            pool = Executors.newFixedThreadPool(threads);
            int unansweredBefore = FakeDns.shared().unanswered();
            for (int i = 0; i < threads; i++) {
                int poster = i;
                posters.add(pool.submit(() -> {
                    List<String> hosts = List.of("a" + poster + ".blackhole.dns.test", "b" + poster + ".blackhole.dns.test");
                    return flooding.as().contentType("application/json").body(withImagesOn(hosts)).when().post(POST);
                }));
            }
            long asked = System.nanoTime() + 10_000_000_000L;
            while (FakeDns.shared().unanswered() - unansweredBefore < 4 && System.nanoTime() < asked) {
                Thread.sleep(10);
            }
            assertThat(FakeDns.shared().unanswered() - unansweredBefore).as("black-holed queries under way").isGreaterThanOrEqualTo(4);
        }

        /** Every answer: its own lookups timed out (503) or exceeded its share (429), to retry later. */
        List<Response> answers() throws Exception {
            List<Response> all = new ArrayList<>();
            for (Future<Response> f : posters) {
                all.add(f.get());
            }
            return all;
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    @Test
    void aTenantsUnansweredNamesDoNotHoldAnotherTenantsIngestion() throws Exception {
        TestTenant flooding = TestTenants.client();
        TestTenant other = TestTenants.client();
        // before: the same kind of transaction, also warming the path
        other.as().contentType("application/json").body(withImagesOn(List.of("warm.public.dns.test"))).when().post(POST).then().statusCode(201);
        try (Flood flood = new Flood(flooding, 16)) {
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Response r = other.as().contentType("application/json").body(withImagesOn(List.of("cdn" + i + ".public.dns.test"))).when().post(POST);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(r.statusCode()).as("the other tenant's transaction %d (%d ms): %s", i, millis, r.asString()).isEqualTo(201);
                assertThat(millis).as("answered promptly").isLessThan(1500); // a lookup held up waits for the 2 s deadline (%test)
            }
            for (Response r : flood.answers()) {
                assertThat(r.statusCode()).as(r.asString()).isIn(429, 503);
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(BmaFixtures.Stored.of(ds, s3, bucket, flooding)).isEqualTo(BmaFixtures.Stored.NOTHING);
    }
}

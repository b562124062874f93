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
 * transactions, whose hosts resolve, are accepted at once meanwhile (the test DNS server, {@link FakeDns},
 * never answers *.blackhole.dns.test).
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

    @Test
    void aTenantsUnansweredNamesDoNotHoldAnotherTenantsIngestion() throws Exception {
        TestTenant flooding = TestTenants.client();
        TestTenant other = TestTenants.client();
        int unansweredBefore = FakeDns.shared().unanswered();
        ExecutorService pool = Executors.newFixedThreadPool(FLOOD);
        try {
            List<Future<Response>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                List<String> hosts = List.of("a" + i + ".blackhole.dns.test", "b" + i + ".blackhole.dns.test", "c" + i + ".blackhole.dns.test");
                flood.add(pool.submit(() -> flooding.as().contentType("application/json").body(withImagesOn(hosts)).when().post(POST)));
            }
            long asked = System.nanoTime() + 2_000_000_000L;
            while (FakeDns.shared().unanswered() - unansweredBefore < 4 && System.nanoTime() < asked) {
                Thread.sleep(10);
            }
            assertThat(FakeDns.shared().unanswered() - unansweredBefore).as("black-holed queries under way").isGreaterThanOrEqualTo(4);

            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                Response r = other.as().contentType("application/json").body(withImagesOn(List.of("cdn" + i + ".public.dns.test"))).when().post(POST);
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(r.statusCode()).as("the other tenant's transaction %d (%d ms): %s", i, millis, r.asString()).isEqualTo(201);
                assertThat(millis).as("answered promptly").isLessThan(1000);
            }

            for (Future<Response> f : flood) {
                Response r = f.get();
                // its own lookups time out (503) or exceed its share (429): retry later, with nothing stored
                assertThat(r.statusCode()).as(r.asString()).isIn(429, 503);
                assertThat(r.header("Retry-After")).isNotNull();
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
            assertThat(BmaFixtures.Stored.of(ds, s3, bucket, flooding)).isEqualTo(BmaFixtures.Stored.NOTHING);
        } finally {
            pool.shutdownNow();
        }
    }
}

package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.await;
import static io.wharf.copy.CopyFixtures.awaitSettled;
import static io.wharf.copy.CopyFixtures.bytes;
import static io.wharf.copy.CopyFixtures.profile;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.wharf.testing.FakeDns;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.Sql;
import jakarta.inject.Inject;

/**
 * Legacy hosts whose DNS server never answers cost their own jobs their lookups, and no other job an attempt
 * (the test DNS server, {@link FakeDns}, never answers *.blackhole.dns.test).
 */
@QuarkusTest
class CopyDnsTest {

    @Inject
    DataSource ds;

    @Test
    void unansweredNamesBurnNoAttemptOfAJobWhoseHostResolves() throws Exception {
        try (LegacyOrigin origin = LegacyOrigin.start()) {
            // by name, so that the migration looks it up (an address is not looked up)
            String url = origin.serve("dns-fine.jpg", bytes(3_000, 19), "ok").replace("127.0.0.1", "localhost");
            int unansweredBefore = FakeDns.shared().unanswered();
            List<UUID> silent = new ArrayList<>();
            asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
            try {
                for (int i = 0; i < 6; i++) {
                    silent.add(profile(ds, "http://p" + i + ".blackhole.dns.test/a.jpg", null, null));
                }
                asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            } finally {
                asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
            }
            UUID fine;
            try {
                await("the silent names are being looked up", Duration.ofSeconds(5), () -> FakeDns.shared().unanswered() - unansweredBefore >= 8);
                fine = profile(ds, url, null, null);
                asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
                awaitSettled(ds, Duration.ofSeconds(30), fine);
            } finally {
                // their retries would only keep copy threads busy for the tests after this one
                Sql.exec(ds,
                        "UPDATE s3_migration_log SET migration_status = 'failed', failure_reason = 'timeout', lease_owner = NULL, lease_expires_at = NULL "
                                + "WHERE record_id = ANY(?) AND migration_status = 'pending'",
                        (Object) silent.toArray(UUID[]::new));
            }
            List<Map<String, Object>> jobs = CopyFixtures.jobs(ds, fine);
            assertThat(jobs).hasSize(1);
            assertThat(jobs.get(0)).as("copied at its first attempt").containsEntry("migration_status", "migrated").containsEntry("attempts", 1);
            assertThat(origin.hits("dns-fine.jpg")).isEqualTo(1);
        }
    }
}

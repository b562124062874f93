package io.wharf.copy;

import static io.wharf.copy.CopyFixtures.awaitSettled;
import static io.wharf.copy.CopyFixtures.bytes;
import static io.wharf.copy.CopyFixtures.profile;
import static io.wharf.testing.TestTenants.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.wharf.testing.LegacyOrigin;
import io.wharf.testing.LocalServicesTestResource;
import io.wharf.testing.Sql;
import io.wharf.testing.TcpProxy;

/** Outages of S3 or of a legacy origin make jobs wait, never fail, and the drain resumes by itself. */
@QuarkusTest
class CopyOutageTest extends CopyFixtures {

    private static JsonPath progress() {
        return asAdmin().when().get("/api/s3-migration/progress").then().statusCode(200).extract().jsonPath();
    }

    private long count(String where, UUID[] records) {
        return (Long) Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log WHERE record_id = ANY(?) AND " + where, (Object) records);
    }

    @Test
    void s3UnreachableForLongerThanEveryAttemptCostsNoJobAndEachFileIsMigratedOnce() throws Exception {
        TcpProxy relay = LocalServicesTestResource.s3Relay();
        assumeTrue(relay != null, "S3 is reached through the test resource's relay");
        Map<UUID, byte[]> files = new HashMap<>();
        asAdmin().when().post("/api/s3-migration/pause").then().statusCode(200);
        try {
            for (int i = 0; i < 30; i++) {
                byte[] b = bytes(4_000 + i, 90_000L + i);
                files.put(profile(ds, origin.serve("s3-down-" + i + ".jpg", b, "ok"), null, null), b);
            }
            asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
            relay.cut();
        } finally {
            asAdmin().when().post("/api/s3-migration/resume").then().statusCode(200);
        }
        UUID[] records = files.keySet().toArray(UUID[]::new);
        try {
            // 4 attempts with backoffs of at most 1 s (%test) would all be spent within 6 s
            Thread.sleep(8_000);
            assertThat(count("migration_status = 'failed'", records)).as("jobs failed while S3 was down").isZero();
            assertThat(count("migration_status = 'pending' AND attempts <= 1", records)).as("jobs pending, no attempt spent").isEqualTo(30);
            assertThat(progress().getString("circuits.s3")).isEqualTo("open");
            assertThat(RestAssured.given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                    .contains("wharf_migration_s3_circuit_open 1.0");
        } finally {
            relay.restore();
        }
        awaitSettled(ds, Duration.ofSeconds(30), records);
        assertThat(count("migration_status = 'migrated'", records)).isEqualTo(30);
        CopyFixtures.await("the S3 circuit is closed", Duration.ofSeconds(10), () -> "closed".equals(progress().getString("circuits.s3")));
        for (Map.Entry<UUID, byte[]> f : files.entrySet()) {
            String key = (String) Sql.scalar(ds, "SELECT s3_key FROM s3_migration_log WHERE record_id = ?", f.getKey());
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(f.getValue());
        }
        // once each: one upload row, one audit row, one object per file
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM user_uploads u JOIN s3_migration_log j ON j.s3_key = u.s3_key WHERE j.record_id = ANY(?)",
                (Object) records)).isEqualTo(30L);
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM audit_logs WHERE action = 'migrate_to_s3' AND resource_id = ANY(?)",
                (Object) files.keySet().stream().map(UUID::toString).toArray(String[]::new))).isEqualTo(30L);
        for (UUID r : records) {
            String jobId = Sql.scalar(ds, "SELECT id::text FROM s3_migration_log WHERE record_id = ?", r).toString();
            assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("legacy/business_profiles/avatar_url/" + jobId)).keyCount()).isEqualTo(1);
        }
    }

    @Test
    void aLegacyOriginThatRefusesConnectionsHoldsOnlyItsOwnJobsAndBurnsNoAttempt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // nothing listens there once it is closed: connections are refused
        }
        List<UUID> dead = new ArrayList<>();
        List<UUID> fine = new ArrayList<>();
        byte[] photo = bytes(5_000, 91);
        for (int i = 0; i < 10; i++) {
            dead.add(profile(ds, "http://127.0.0.1:" + port + "/files/refused-" + i + ".jpg", null, null));
            fine.add(profile(ds, origin.serve("beside-refused-" + i + ".jpg", photo, "ok"), null, null));
        }
        asAdmin().queryParam("table", "business_profiles").when().post("/api/s3-migration/scan").then().statusCode(200);
        UUID[] deadIds = dead.toArray(UUID[]::new);
        awaitSettled(ds, Duration.ofSeconds(30), fine.toArray(UUID[]::new));
        assertThat(count("migration_status = 'migrated'", fine.toArray(UUID[]::new))).isEqualTo(10);
        // longer than its 4 attempts would take: still waiting, no attempt spent
        Thread.sleep(6_000);
        assertThat(count("migration_status = 'failed'", deadIds)).as("jobs of the refusing origin failed").isZero();
        assertThat(count("migration_status = 'pending' AND attempts <= 1", deadIds)).as("jobs waiting, no attempt spent").isEqualTo(10);
        assertThat(progress().getInt("circuits.legacy_hosts_open")).isGreaterThanOrEqualTo(1);
        // the origin comes back: its jobs are migrated without anyone calling retry
        try (LegacyOrigin back = LegacyOrigin.startOn(port)) {
            for (int i = 0; i < 10; i++) {
                back.serve("refused-" + i + ".jpg", photo, "ok");
            }
            awaitSettled(ds, Duration.ofSeconds(30), deadIds);
            assertThat(count("migration_status = 'migrated'", deadIds)).isEqualTo(10);
        }
    }
}
